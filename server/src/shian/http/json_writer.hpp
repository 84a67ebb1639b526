// JsonWriter: writes a JSON document straight into a string, for the responses sent most often
// (pages of businesses, a business's detail). Building an nlohmann::ordered_json tree first
// cost about a quarter of a list request's CPU (a node and a string copy per field, then the
// dump); other responses still build trees (views.hpp).
//
// Output matches views.hpp's Dump: UTF-8 kept as is, control characters escaped, invalid UTF-8
// replaced by U+FFFD. The writer puts the commas; the caller keeps keys and values paired.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shian::http {

class JsonWriter {
public:
    JsonWriter& BeginObject() { return Open('{'); }
    JsonWriter& EndObject() { return Close('}'); }
    JsonWriter& BeginArray() { return Open('['); }
    JsonWriter& EndArray() { return Close(']'); }
    // The next value belongs to this key (inside an object).
    JsonWriter& Key(std::string_view key);

    JsonWriter& String(std::string_view value);
    JsonWriter& Int(int64_t value);
    JsonWriter& Double(double value);
    JsonWriter& Bool(bool value);
    JsonWriter& Null();
    // "" / nullopt → null.
    JsonWriter& StringOrNull(std::string_view value) { return value.empty() ? Null() : String(value); }
    JsonWriter& DoubleOrNull(const std::optional<double>& value) { return value ? Double(*value) : Null(); }

    // The document written so far (complete once every object and array is closed).
    std::string Take() { return std::move(out_); }

private:
    JsonWriter& Open(char bracket);
    JsonWriter& Close(char bracket);
    // A comma before every element of an array or member of an object but the first.
    void Separate();
    void Quoted(std::string_view text);

    std::string out_;
    std::vector<bool> first_;  // per open container: nothing written in it yet
    bool after_key_ = false;
};

}  // namespace shian::http
