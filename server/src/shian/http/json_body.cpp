#include "shian/http/json_body.hpp"

#include <cmath>

#include "shian/core/text.hpp"

namespace shian::http {
namespace {

using nlohmann::json;

// Rejects nesting deeper than kMaxJsonDepth before the recursive parser sees the text.
bool NestingWithinLimit(std::string_view text) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') {
            if (++depth > kMaxJsonDepth) return false;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return true;
}

Status CheckKeys(const json& obj, const std::string& prefix, std::initializer_list<std::string_view> allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        bool known = false;
        for (auto a : allowed) known = known || a == it.key();
        if (!known) {
            std::string key = it.key();
            if (!IsValidUtf8(key) || key.size() > 64) key = "?";
            return Error::Invalid(prefix + key, "不支持的字段：" + key);
        }
    }
    return Ok();
}

Error WrongType(const std::string& key, std::string_view label, const char* expected) {
    return Error::Invalid(key, std::string(label) + "应为" + expected);
}

}  // namespace

Result<JsonBody> JsonBody::Parse(std::string_view body, std::initializer_list<std::string_view> allowed) {
    if (body.empty()) return Error::Invalid("", "请求体为空，应为 JSON 对象");
    if (!IsValidUtf8(body)) return Error::Invalid("", "请求体不是有效的 UTF-8 文本");
    if (!NestingWithinLimit(body)) return Error::Invalid("", "JSON 嵌套层数过多");
    json obj = json::parse(body, nullptr, false);
    if (obj.is_discarded()) return Error::Invalid("", "请求体不是有效的 JSON");
    if (!obj.is_object()) return Error::Invalid("", "请求体应为 JSON 对象");
    SHIAN_TRY(CheckKeys(obj, "", allowed));
    return JsonBody(std::move(obj));
}

Result<JsonBody> JsonObjectAt(const json& value, const std::string& field,
                              std::initializer_list<std::string_view> allowed) {
    if (!value.is_object()) return Error::Invalid(field, field + " 应为对象");
    SHIAN_TRY(CheckKeys(value, field + ".", allowed));
    // Re-wrap: JsonBody's getters use plain keys, errors are re-labelled by the caller.
    return JsonBody::Parse(value.dump(), allowed);
}

Result<std::optional<std::string>> JsonBody::String(const std::string& key, std::string_view label) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) return std::optional<std::string>();
    if (!it->is_string()) return WrongType(key, label, "文本");
    return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<std::string>> JsonBody::OptString(const std::string& key, std::string_view label) const {
    auto it = obj_.find(key);
    if (it != obj_.end() && it->is_null()) return std::optional<std::string>(std::string());
    return String(key, label);
}

Result<std::optional<std::optional<double>>> JsonBody::NullableNumber(const std::string& key,
                                                                      std::string_view label) const {
    using R = std::optional<std::optional<double>>;
    auto it = obj_.find(key);
    if (it == obj_.end()) return R();
    if (it->is_null()) return R(std::optional<double>());
    if (!it->is_number()) return WrongType(key, label, "数字");
    double v = it->get<double>();
    if (!std::isfinite(v)) return WrongType(key, label, "有限的数字");
    return R(v);
}

Result<std::optional<int64_t>> JsonBody::Integer(const std::string& key, std::string_view label) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) return std::optional<int64_t>();
    if (!it->is_number_integer()) return WrongType(key, label, "整数");
    return std::optional<int64_t>(it->get<int64_t>());
}

Result<std::optional<std::optional<int64_t>>> JsonBody::NullableInteger(const std::string& key,
                                                                        std::string_view label) const {
    using R = std::optional<std::optional<int64_t>>;
    auto it = obj_.find(key);
    if (it == obj_.end()) return R();
    if (it->is_null()) return R(std::optional<int64_t>());
    if (!it->is_number_integer()) return WrongType(key, label, "整数");
    return R(it->get<int64_t>());
}

Result<std::optional<bool>> JsonBody::Bool(const std::string& key, std::string_view label) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) return std::optional<bool>();
    if (!it->is_boolean()) return WrongType(key, label, "true 或 false");
    return std::optional<bool>(it->get<bool>());
}

Result<std::optional<std::vector<std::string>>> JsonBody::StringArray(const std::string& key,
                                                                      std::string_view label,
                                                                      size_t max_items) const {
    using R = std::optional<std::vector<std::string>>;
    auto it = obj_.find(key);
    if (it == obj_.end()) return R();
    if (it->is_null()) return R(std::vector<std::string>());
    if (!it->is_array()) return WrongType(key, label, "文本数组");
    if (it->size() > max_items) {
        return Error::Invalid(key, std::string(label) + "不能超过" + std::to_string(max_items) + "项");
    }
    std::vector<std::string> out;
    for (const auto& v : *it) {
        if (!v.is_string()) return WrongType(key, label, "文本数组");
        out.push_back(v.get<std::string>());
    }
    return R(std::move(out));
}

}  // namespace shian::http
