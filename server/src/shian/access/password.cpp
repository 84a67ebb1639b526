#include "shian/access/password.hpp"

#include <Poco/SHA2Engine.h>
#include <argon2.h>
#include <sys/random.h>

#include <cctype>

#include "shian/core/text.hpp"

namespace shian::access {
namespace {

// OWASP-recommended Argon2id minimum (m = 19 MiB, t = 2, p = 1), ~20 ms on this hardware.
constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19 * 1024;
constexpr uint32_t kParallelism = 1;
constexpr size_t kSaltLen = 16;
constexpr size_t kHashLen = 32;

void FillRandom(unsigned char* buf, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = getrandom(buf + done, len - done, 0);
        if (n > 0) done += static_cast<size_t>(n);
    }
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
    unsigned char salt[kSaltLen];
    FillRandom(salt, sizeof salt);
    size_t encoded_len = argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism, kSaltLen, kHashLen,
                                           Argon2_id);
    std::string encoded(encoded_len, '\0');
    int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, password.data(),
                                   password.size(), salt, kSaltLen, kHashLen, encoded.data(),
                                   encoded.size());
    if (rc != ARGON2_OK) return Error::Internal(std::string("密码哈希失败：") + argon2_error_message(rc));
    encoded.resize(encoded.find('\0'));
    return encoded;
}

bool VerifyPassword(std::string_view password, const std::string& encoded) {
    if (encoded.empty()) return false;
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view field) {
    std::string f(field);
    if (!IsValidUtf8(password)) return Error::Invalid(f, "密码包含无效字符");
    size_t len = Utf8Length(password);
    if (len < 8) return Error::Invalid(f, "密码长度至少8位");
    if (len > 64) return Error::Invalid(f, "密码长度不能超过64位");
    bool lower = false, upper = false, digit = false, other = false;
    for (unsigned char c : password) {
        if (c < 0x20 || c == 0x7F) return Error::Invalid(f, "密码不能包含控制字符");
        if (std::islower(c)) lower = true;
        else if (std::isupper(c)) upper = true;
        else if (std::isdigit(c)) digit = true;
        else other = true;
    }
    if (lower + upper + digit + other < 3) {
        return Error::Invalid(f, "密码须包含大写字母、小写字母、数字、符号中的至少三类");
    }
    return Ok();
}

std::string RandomToken() {
    unsigned char buf[32];
    FillRandom(buf, sizeof buf);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (unsigned char b : buf) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 15]);
    }
    return out;
}

std::string HashToken(std::string_view token) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(token.data(), static_cast<unsigned>(token.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace shian::access
