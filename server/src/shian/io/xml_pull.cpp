// Implements xml_pull.hpp.
#include "shian/io/xml_pull.hpp"

#include <cstring>

namespace shian::io {
namespace {

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsNameEnd(char c) { return IsXmlSpace(c) || c == '/' || c == '>' || c == '='; }

std::string_view LocalName(std::string_view qualified) {
    const size_t colon = qualified.rfind(':');
    return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

bool ParseCharacterReference(std::string_view body, char32_t* code_point) {
    // body is "#123" or "#x1F".
    uint32_t value = 0;
    size_t i = 1;
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    if (hex) ++i;
    if (i >= body.size() || body.size() - i > 8) return false;
    for (; i < body.size(); ++i) {
        const char c = body[i];
        uint32_t digit;
        if (c >= '0' && c <= '9') {
            digit = static_cast<uint32_t>(c - '0');
        } else if (hex && c >= 'a' && c <= 'f') {
            digit = static_cast<uint32_t>(c - 'a' + 10);
        } else if (hex && c >= 'A' && c <= 'F') {
            digit = static_cast<uint32_t>(c - 'A' + 10);
        } else {
            return false;
        }
        value = value * (hex ? 16 : 10) + digit;
        if (value > 0x10FFFF) return false;
    }
    if (value == 0 || (value >= 0xD800 && value <= 0xDFFF)) return false;
    *code_point = value;
    return true;
}

}  // namespace

bool DecodeXmlEntities(std::string_view raw, std::string* out) {
    size_t pos = 0;
    while (pos < raw.size()) {
        const size_t amp = raw.find('&', pos);
        if (amp == std::string_view::npos) {
            out->append(raw.substr(pos));
            break;
        }
        out->append(raw.substr(pos, amp - pos));
        const size_t semi = raw.find(';', amp + 1);
        if (semi == std::string_view::npos || semi - amp > 12) return false;
        const std::string_view body = raw.substr(amp + 1, semi - amp - 1);
        if (body == "lt") {
            out->push_back('<');
        } else if (body == "gt") {
            out->push_back('>');
        } else if (body == "amp") {
            out->push_back('&');
        } else if (body == "quot") {
            out->push_back('"');
        } else if (body == "apos") {
            out->push_back('\'');
        } else if (!body.empty() && body[0] == '#') {
            char32_t cp;
            if (!ParseCharacterReference(body, &cp)) return false;
            AppendUtf8(cp, out);
        } else {
            return false;
        }
        pos = semi + 1;
    }
    return true;
}

XmlPullParser::Event XmlPullParser::Fail() {
    done_ = true;
    final_event_ = Event::kError;
    return Event::kError;
}

bool XmlPullParser::SkipPast(std::string_view terminator) {
    const size_t found = xml_.find(terminator, pos_);
    if (found == std::string_view::npos) return false;
    pos_ = found + terminator.size();
    return true;
}

XmlPullParser::Event XmlPullParser::Next() {
    if (done_) return final_event_;
    if (pending_end_) {
        pending_end_ = false;
        attributes_.clear();
        return Event::kEndElement;
    }
    while (pos_ < xml_.size()) {
        if (xml_[pos_] != '<') return ParseText();
        const std::string_view rest = xml_.substr(pos_);
        if (rest.starts_with("<?")) {
            if (!SkipPast("?>")) return Fail();
        } else if (rest.starts_with("<!--")) {
            if (!SkipPast("-->")) return Fail();
        } else if (rest.starts_with("<![CDATA[")) {
            const size_t start = pos_ + 9;
            const size_t close = xml_.find("]]>", start);
            if (close == std::string_view::npos) return Fail();
            text_.assign(xml_.substr(start, close - start));
            pos_ = close + 3;
            return Event::kText;
        } else if (rest.starts_with("<!")) {
            return Fail();  // DOCTYPE or other declarations
        } else if (rest.starts_with("</")) {
            return ParseEndTag();
        } else {
            return ParseStartTag();
        }
    }
    done_ = true;
    final_event_ = Event::kEnd;
    return Event::kEnd;
}

XmlPullParser::Event XmlPullParser::ParseText() {
    size_t lt = xml_.find('<', pos_);
    if (lt == std::string_view::npos) lt = xml_.size();
    const std::string_view raw = xml_.substr(pos_, lt - pos_);
    pos_ = lt;
    text_.clear();
    if (!DecodeXmlEntities(raw, &text_)) return Fail();
    return Event::kText;
}

XmlPullParser::Event XmlPullParser::ParseEndTag() {
    size_t i = pos_ + 2;
    const size_t start = i;
    while (i < xml_.size() && !IsNameEnd(xml_[i])) ++i;
    if (i == start) return Fail();
    name_ = LocalName(xml_.substr(start, i - start));
    while (i < xml_.size() && IsXmlSpace(xml_[i])) ++i;
    if (i >= xml_.size() || xml_[i] != '>') return Fail();
    pos_ = i + 1;
    attributes_.clear();
    return Event::kEndElement;
}

XmlPullParser::Event XmlPullParser::ParseStartTag() {
    size_t i = pos_ + 1;
    const size_t start = i;
    while (i < xml_.size() && !IsNameEnd(xml_[i])) ++i;
    if (i == start) return Fail();
    name_ = LocalName(xml_.substr(start, i - start));
    attributes_.clear();
    for (;;) {
        while (i < xml_.size() && IsXmlSpace(xml_[i])) ++i;
        if (i >= xml_.size()) return Fail();
        if (xml_[i] == '>') {
            pos_ = i + 1;
            return Event::kStartElement;
        }
        if (xml_[i] == '/') {
            if (i + 1 >= xml_.size() || xml_[i + 1] != '>') return Fail();
            pos_ = i + 2;
            pending_end_ = true;
            return Event::kStartElement;
        }
        const size_t name_start = i;
        while (i < xml_.size() && !IsNameEnd(xml_[i])) ++i;
        if (i == name_start) return Fail();
        const std::string_view attr_name = xml_.substr(name_start, i - name_start);
        while (i < xml_.size() && IsXmlSpace(xml_[i])) ++i;
        if (i >= xml_.size() || xml_[i] != '=') return Fail();
        ++i;
        while (i < xml_.size() && IsXmlSpace(xml_[i])) ++i;
        if (i >= xml_.size() || (xml_[i] != '"' && xml_[i] != '\'')) return Fail();
        const char quote = xml_[i];
        const size_t value_start = i + 1;
        const size_t value_end = xml_.find(quote, value_start);
        if (value_end == std::string_view::npos) return Fail();
        if (attr_name != "xmlns" && !attr_name.starts_with("xmlns:")) {
            attributes_.push_back(
                {LocalName(attr_name), xml_.substr(value_start, value_end - value_start)});
        }
        i = value_end + 1;
    }
}

bool XmlPullParser::Attribute(std::string_view local_name, std::string* value) const {
    for (const RawAttribute& attribute : attributes_) {
        if (attribute.name == local_name) {
            value->clear();
            return DecodeXmlEntities(attribute.value, value);
        }
    }
    return false;
}

}  // namespace shian::io
