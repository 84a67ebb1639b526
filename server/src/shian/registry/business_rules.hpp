// The registry's rules: allowed values and the validation of a business record.
// Sources: domain.md §3 (kinds, identifiers, people), GB 32100-2015, GB 11643-1999,
// 食品经营许可和备案管理办法 (SAMR Order 78, 2023) for licence formats and 登记/备案 numbers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shian/core/error.hpp"
#include "shian/registry/business.hpp"

namespace shian::registry {

// 经营状态: 营业 / 停业 / 注销.
const std::vector<std::string>& BusinessStatuses();
// 风险等级: A (lowest risk) … D (highest), or empty for not yet graded.
const std::vector<std::string>& RiskGrades();
// Roles a person can hold at a business.
const std::vector<std::string>& PersonRoles();
// The kinds every installation starts with (业态 dictionary; admins may add more).
const std::vector<Kind>& BuiltinKinds();
// Kinds that may be registered with a 登记证/备案 number instead of a JY/SC licence ("三小").
bool KindAllowsRegistrationNumber(std::string_view kind_code);

// Field limits (characters).
inline constexpr size_t kMaxNameChars = 100;
inline constexpr size_t kMaxAddressChars = 200;
inline constexpr size_t kMaxPeople = 20;
inline constexpr size_t kMaxTags = 20;
inline constexpr size_t kMaxTagChars = 20;

// Validates every field of a business except the place (checked by the service against the
// region tree and the user's scope). `kinds` is the current dictionary. Returns the first
// error, with `field` set to the API field name (people[i].id_number for nested fields).
Status ValidateBusiness(const Business& b, const std::vector<Kind>& kinds);
// Every problem of the record, one per field at most (imports report them all).
std::vector<Error> BusinessErrors(const Business& b, const std::vector<Kind>& kinds);

// A dictionary code for a new kind label: "k" + a stable hash.
std::string KindCodeForLabel(std::string_view label);

// A list of businesses shows its people's ID and phone numbers de-identified (GB/T 35273-2020
// §6.2, core/identifiers.hpp); the detail of one business, the edit form and exports, which
// need them whole, carry them as stored.
void DeidentifyPeople(Business* b);

}  // namespace shian::registry
