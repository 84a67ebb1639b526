// Tests for xml_pull.hpp.
#include "shian/io/xml_pull.hpp"

#include <gtest/gtest.h>

#include <string>

namespace shian::io {
namespace {

using Event = XmlPullParser::Event;

// Flattens events to a compact string: <name attr=value> text </name>.
std::string Trace(std::string_view xml, std::string_view attribute = "r") {
    XmlPullParser parser(xml);
    std::string out;
    for (;;) {
        switch (parser.Next()) {
            case Event::kStartElement: {
                out += "<" + std::string(parser.name());
                std::string value;
                if (parser.Attribute(attribute, &value)) out += " " + value;
                out += ">";
                break;
            }
            case Event::kEndElement:
                out += "</" + std::string(parser.name()) + ">";
                break;
            case Event::kText:
                out += "[" + parser.text() + "]";
                break;
            case Event::kEnd:
                return out;
            case Event::kError:
                return out + "ERROR";
        }
    }
}

TEST(XmlPullParserTest, ElementsAttributesAndText) {
    EXPECT_EQ(
        Trace(R"(<?xml version="1.0"?><a r="1"><!-- c --><b r='x&amp;y'/>t&lt;&#65;&#x4E2D;</a>)"),
        "<a 1><b x&y></b>[t<A中]</a>");
}

TEST(XmlPullParserTest, StripsPrefixesAndIgnoresNamespaceDeclarations) {
    EXPECT_EQ(Trace(R"(<x:c xmlns:r="ns" x:r="B2"><x:v>1</x:v></x:c>)"), "<c B2><v>[1]</v></c>");
}

TEST(XmlPullParserTest, CdataIsVerbatim) {
    EXPECT_EQ(Trace("<t><![CDATA[<&amp;>]]></t>"), "<t>[<&amp;>]</t>");
}

TEST(XmlPullParserTest, MalformedInputIsAnError) {
    for (const char* xml : {"<a", "<a b>", "<a b=1>", "<a b=\"1>", "</", "<>", "<a>&bogus;</a>",
                            "<a>&#0;</a>", "<a>&#xD800;</a>", "<a>&#x110000;</a>", "<!-- x",
                            "<![CDATA[x", "<!DOCTYPE a>", "<a/ >"}) {
        EXPECT_EQ(Trace(xml).substr(Trace(xml).size() >= 5 ? Trace(xml).size() - 5 : 0), "ERROR")
            << xml;
    }
}

TEST(XmlPullParserTest, EndIsSticky) {
    XmlPullParser parser("<a/>");
    EXPECT_EQ(parser.Next(), Event::kStartElement);
    EXPECT_EQ(parser.Next(), Event::kEndElement);
    EXPECT_EQ(parser.Next(), Event::kEnd);
    EXPECT_EQ(parser.Next(), Event::kEnd);
}

}  // namespace
}  // namespace shian::io
