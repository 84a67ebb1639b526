// Password hashing (Argon2id, libargon2) and the password policy.
// Policy source: the platform foundation issue §5 (length ≥ 8, mixed character classes),
// in line with GB/T 22239-2019 (等保2.0) identity-authentication requirements.
#pragma once

#include <string>
#include <string_view>

#include "shian/core/error.hpp"

namespace shian::access {

// Argon2id encoded hash ("$argon2id$v=19$m=...,t=...,p=...$salt$hash").
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& encoded);

// Length 8–64, and at least three of: lowercase, uppercase, digits, symbols.
Status CheckPasswordPolicy(std::string_view password, std::string_view field = "password");

// 32 random bytes as 64 hex characters (session tokens).
std::string RandomToken();
// SHA-256 hex of a token; sessions are stored by hash so a database leak yields no tokens.
std::string HashToken(std::string_view token);

}  // namespace shian::access
