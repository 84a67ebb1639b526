// XmlPullParser: a minimal streaming (pull) XML tokenizer for the large parts of an XLSX
// file (worksheets, shared strings), so that memory stays proportional to the output rather
// than to a DOM. Internal to shian::io.
//
// Supports elements, attributes, the five predefined entities, character references, CDATA,
// comments and processing instructions. Namespace prefixes are stripped from names. A
// DOCTYPE is refused (XLSX never has one; refusing avoids entity-expansion tricks).
// Well-formedness is not fully checked; malformed markup gives kError, never a crash.
// Thread-safety: one parser per thread; the input must outlive the parser.
#pragma once

#include "shian/core/text.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace shian::io {

class XmlPullParser {
public:
    enum class Event { kStartElement, kEndElement, kText, kEnd, kError };

    explicit XmlPullParser(std::string_view xml) : xml_(xml) {}

    // Advances to the next event. A self-closing element yields kStartElement then
    // kEndElement. After kEnd or kError every call returns the same event.
    Event Next();

    // Local name (prefix stripped) of the current start or end element.
    std::string_view name() const { return name_; }

    // Decoded value of the attribute with the given local name on the current start
    // element; false when absent or malformed.
    bool Attribute(std::string_view local_name, std::string* value) const;

    // Decoded character data of the current kText event (CDATA is returned verbatim).
    const std::string& text() const { return text_; }

private:
    struct RawAttribute {
        std::string_view name;   // local name
        std::string_view value;  // undecoded
    };

    Event Fail();
    Event ParseStartTag();
    Event ParseEndTag();
    Event ParseText();
    bool SkipPast(std::string_view terminator);

    std::string_view xml_;
    size_t pos_ = 0;
    std::string_view name_;
    std::vector<RawAttribute> attributes_;
    std::string text_;
    bool pending_end_ = false;
    bool done_ = false;
    Event final_event_ = Event::kEnd;
};

// Decodes entity and character references in `raw`, appending to `out`; false when a
// reference is malformed or names an invalid code point.
bool DecodeXmlEntities(std::string_view raw, std::string* out);

using shian::AppendUtf8;

}  // namespace shian::io
