// libFuzzer target for JSON request parsing: JsonBody::Parse and every typed getter, the way
// the business and user endpoints read their bodies. Must never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shian/http/json_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using shian::http::JsonBody;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto body = JsonBody::Parse(text, {"name", "uscc", "lng", "lat", "version", "people", "tags", "disabled"});
    if (!body.ok()) return 0;
    for (const char* key : {"name", "uscc", "lng", "lat", "version", "people", "tags", "disabled"}) {
        (void)body->String(key, "字段");
        (void)body->OptString(key, "字段");
        (void)body->NullableNumber(key, "字段");
        (void)body->Integer(key, "字段");
        (void)body->NullableInteger(key, "字段");
        (void)body->Bool(key, "字段");
        (void)body->StringArray(key, "字段", 20);
    }
    if (body->Has("people") && body->raw()["people"].is_array()) {
        for (const auto& item : body->raw()["people"]) {
            auto person = shian::http::JsonObjectAt(item, "people[0]", {"role", "name", "id_number", "phone"});
            if (person.ok()) (void)person->OptString("name", "姓名");
        }
    }
    return 0;
}
