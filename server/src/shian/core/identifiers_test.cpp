// Table-driven tests of the identifier rules; each case names its source.
#include "shian/core/identifiers.hpp"

#include <gtest/gtest.h>

namespace shian {
namespace {

struct Case {
    const char* source;
    const char* input;
    bool valid;
};

// GB 32100-2015 §5 (check character, weights 3^i mod 31) and Table 1 (alphabet).
const Case kUsccCases[] = {
    {"GB 32100-2015 §5", "91350100M000100Y43", true},
    {"GB 32100-2015 §5", "91110000802100433B", true},
    {"GB 32100-2015 §5", "91511902MA62A1B2CQ", true},
    {"GB 32100-2015 §5 check 31→0", "12100000400000624D", true},
    {"GB 32100-2015 §5 wrong check", "91350100M000100Y44", false},
    {"GB 32100-2015 §5 wrong check", "91511902MA62A1B2CR", false},
    {"GB 32100-2015 Table 1 no I", "91350100M000I00Y43", false},
    {"GB 32100-2015 Table 1 no lowercase", "91350100m000100Y43", false},
    {"GB 32100-2015 §4 length", "91350100M000100Y4", false},
    {"GB 32100-2015 §4 length", "", false},
    {"GB 32100-2015 §4 division code digits", "9135A100M000100Y43", false},
};

TEST(UsccTest, TableFromGb32100) {
    for (const Case& c : kUsccCases) {
        EXPECT_EQ(CheckUscc(c.input).ok(), c.valid) << c.source << ": " << c.input;
    }
}

TEST(UsccTest, MessageNamesFieldAndExpectedCheckCharacter) {
    Status st = CheckUscc("91350100M000100Y44", "uscc");
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().field, "uscc");
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(st.error().message.find("校验位"), std::string::npos);
    EXPECT_NE(st.error().message.find('3'), std::string::npos);
}

// GB 11643-1999 §8.2 (ISO 7064 MOD 11-2) and §8.1.2 (birth date).
const Case kIdCases[] = {
    {"GB 11643-1999 §8.2", "511902198001010016", true},
    {"GB 11643-1999 §8.2 X", "11010519491231002X", true},
    {"GB 11643-1999 §8.2 lowercase x accepted", "11010519491231002x", true},
    {"GB 11643-1999 leap day 2000", "511902200002291235", true},
    {"GB 11643-1999 §8.2 wrong check", "511902198001010017", false},
    {"GB 11643-1999 §8.1.2 month 13", "511902198013010016", false},
    {"GB 11643-1999 §8.1.2 Feb 30", "511902198002300016", false},
    {"GB 11643-1999 length", "51190219800101001", false},
    {"GB 11643-1999 digits", "5119021980010100A6", false},
};

TEST(IdNumberTest, TableFromGb11643) {
    for (const Case& c : kIdCases) {
        EXPECT_EQ(CheckIdNumber(c.input).ok(), c.valid) << c.source << ": " << c.input;
    }
}

TEST(LicenceTest, FormatsFromSamrLicensingRules) {
    EXPECT_EQ(*CheckLicenceNo("JY15119020012345", false), LicenceKind::kOperation);
    EXPECT_EQ(*CheckLicenceNo("SC10651190200123", false), LicenceKind::kProduction);
    EXPECT_EQ(*CheckLicenceNo("", false), LicenceKind::kNone);
    EXPECT_FALSE(CheckLicenceNo("JY1511902001234", false).ok());   // 13 digits
    EXPECT_FALSE(CheckLicenceNo("JY1511902001234A", true).ok());  // letter in digits
    EXPECT_FALSE(CheckLicenceNo("登记123", false).ok());
    EXPECT_EQ(*CheckLicenceNo("巴州小作坊登记2023-001", true), LicenceKind::kRegistration);
    EXPECT_FALSE(CheckLicenceNo("a b", true).ok());
}

TEST(PhoneTest, MobileAndLandline) {
    EXPECT_TRUE(CheckPhone("13800138000").ok());
    EXPECT_TRUE(CheckPhone("0827-5261234").ok());
    EXPECT_FALSE(CheckPhone("12345").ok());
    EXPECT_FALSE(CheckPhone("1380013800a").ok());
}

// GB/T 35273-2020 §6.2: personal data shown de-identified where the whole is not needed.
TEST(MaskTest, Gbt35273DisplayForms) {
    struct Case {
        const char* in;
        const char* id;
        const char* phone;
    };
    const Case cases[] = {
        {"51190219800101123X", "5119**********123X", "511***********123X"},
        {"13800138000", "1380***8000", "138****8000"},
        {"0827-5261234", "0827-***1234", "0827-***1234"},
        {"028-12345678", "028-1***5678", "028-****5678"},
        {"08275261234", "0827***1234", "0827***1234"},
        {"12345678", "******", "123*5678"},
        {"1234", "******", "******"},
        {"", "", ""},
        {"张三1234567890", "******", "******"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(MaskIdNumber(c.in), c.id) << c.in;
        EXPECT_EQ(MaskPhone(c.in), c.phone) << c.in;
    }
}

}  // namespace
}  // namespace shian
