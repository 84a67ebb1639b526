// Checks of the national identifiers a business and its people carry.
//
// Rules and their sources (see docs/rules.md):
//   USCC (统一社会信用代码)  GB 32100-2015 §4–5: 18 characters over 0-9A-HJ-NPQRTUWXY,
//                            check character = 31 - (Σ c_i·w_i mod 31), w_i = 3^i mod 31.
//   ID number (公民身份号码) GB 11643-1999: 17 digits + check of ISO 7064 MOD 11-2 ("X" = 10),
//                            the 7th–14th digits a valid birth date.
//   Licence numbers          食品经营许可证 "JY" + 14 digits (SAMR 食品经营许可管理办法);
//                            食品生产许可证 "SC" + 14 digits (食品生产许可管理办法).
//   Display of personal data GB/T 35273-2020 §6.2 (个人信息展示限制): where a screen need not
//                            show the whole of an ID or phone number, show it de-identified.
// Each check returns Ok() or an invalid_argument Error with a Chinese message naming `field`.
#pragma once

#include <string>
#include <string_view>

#include "shian/core/error.hpp"

namespace shian {

Status CheckUscc(std::string_view uscc, std::string_view field = "uscc");
// The check character for the first 17 characters of a USCC; '\0' when they are invalid.
char UsccCheckCharacter(std::string_view first17);

Status CheckIdNumber(std::string_view id, std::string_view field = "id_number");
char IdNumberCheckCharacter(std::string_view first17);

enum class LicenceKind { kNone, kOperation, kProduction, kRegistration };
// Accepts "JY"/"SC" + 14 digits; when allow_registration, also a 登记证/备案 number
// (4–30 characters of letters, digits, Chinese and -), returned as kRegistration.
Result<LicenceKind> CheckLicenceNo(std::string_view licence, bool allow_registration,
                                   std::string_view field = "licence_no");

// Mainland mobile (1[3-9]x, 11 digits) or landline with area code (0xx-xxxxxxx, optional extension).
Status CheckPhone(std::string_view phone, std::string_view field = "phone");

// De-identified display forms (GB/T 35273-2020 §6.2): the first and last four characters of an
// ID number stay ("5119**********123X"); a phone keeps its first three (mobile) or its area
// code (landline) and its last four digits ("138****5678", "0827-***1234"). Dashes stay. An
// empty value stays empty; a value too short to keep anything, or not ASCII, is all stars.
std::string MaskIdNumber(std::string_view id);
std::string MaskPhone(std::string_view phone);

}  // namespace shian
