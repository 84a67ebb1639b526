// JsonBody: strict reading of a JSON request body — an object, bounded nesting, only the
// allowed keys, each with the right type — producing field-named 400 errors.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shian/core/error.hpp"

namespace shian::http {

inline constexpr int kMaxJsonDepth = 16;

class JsonBody {
public:
    // Parses `body`; it must be one JSON object with keys among `allowed`.
    static Result<JsonBody> Parse(std::string_view body, std::initializer_list<std::string_view> allowed);

    bool Has(const std::string& key) const { return obj_.contains(key); }
    // Each getter: absent → nullopt; wrong type → invalid_argument naming the field.
    Result<std::optional<std::string>> String(const std::string& key, std::string_view label) const;
    // Like String, but JSON null is "present and empty".
    Result<std::optional<std::string>> OptString(const std::string& key, std::string_view label) const;
    Result<std::optional<std::optional<double>>> NullableNumber(const std::string& key,
                                                                std::string_view label) const;
    Result<std::optional<int64_t>> Integer(const std::string& key, std::string_view label) const;
    Result<std::optional<std::optional<int64_t>>> NullableInteger(const std::string& key,
                                                                  std::string_view label) const;
    Result<std::optional<bool>> Bool(const std::string& key, std::string_view label) const;
    Result<std::optional<std::vector<std::string>>> StringArray(const std::string& key,
                                                                std::string_view label,
                                                                size_t max_items) const;
    const nlohmann::json& raw() const { return obj_; }

private:
    explicit JsonBody(nlohmann::json obj) : obj_(std::move(obj)) {}
    nlohmann::json obj_;
};

// Reads a nested object the same way (for array items such as people[]).
Result<JsonBody> JsonObjectAt(const nlohmann::json& value, const std::string& field,
                              std::initializer_list<std::string_view> allowed);

}  // namespace shian::http
