// The stored form of a business's people (business.people, both engines): a JSON array of
// objects {"id_number", "name", "phone", "role"} whose values are strings. Every business read
// decodes it — twenty on a list page — so it has a reader of its own for exactly that form.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shian/registry/business.hpp"

namespace shian::storage {

std::string EncodePeople(const std::vector<registry::Person>& people);

// What EncodePeople wrote (any JSON whitespace and escapes, keys in any order, unknown keys
// ignored). Anything else — another JSON shape, a value that is not a string, text that is not
// JSON — reads as no people.
std::vector<registry::Person> DecodePeople(std::string_view text);

}  // namespace shian::storage
