// MakeZip: builds a zip archive in memory, for tests and fuzz targets that need hand-made
// XLSX files. Not used by the server itself. Thread-safety: reentrant.
#pragma once

#include <zip.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace shian::io::test_util {

// A zip with the given (name, content) entries, deflated at the fastest level unless `store`
// is set; "" when libzip fails.
inline std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& entries,
                           bool store = false) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (buffer == nullptr) return {};
    zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    zip_error_fini(&error);
    if (archive == nullptr) {
        zip_source_free(buffer);
        return {};
    }
    zip_source_keep(buffer);
    for (const auto& [name, content] : entries) {
        zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
        const zip_int64_t index =
            source == nullptr ? -1 : zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            if (source != nullptr) zip_source_free(source);
            zip_discard(archive);
            zip_source_free(buffer);
            return {};
        }
        zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                 store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, store ? 0 : 1);
    }
    if (zip_close(archive) != 0) {
        zip_discard(archive);
        zip_source_free(buffer);
        return {};
    }
    std::string bytes;
    if (zip_source_open(buffer) == 0) {
        char chunk[64 * 1024];
        zip_int64_t n;
        while ((n = zip_source_read(buffer, chunk, sizeof chunk)) > 0) {
            bytes.append(chunk, static_cast<size_t>(n));
        }
        zip_source_close(buffer);
    }
    zip_source_free(buffer);
    return bytes;
}

inline constexpr const char* kXmlDecl = R"(<?xml version="1.0" encoding="UTF-8"?>)";
inline constexpr const char* kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
inline constexpr const char* kPackageRelNs =
    "http://schemas.openxmlformats.org/package/2006/relationships";
inline constexpr const char* kOfficeRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// One <Relationship> element of type kOfficeRelNs + "/" + type.
inline std::string RelationshipXml(const std::string& id, const std::string& type,
                                   const std::string& target) {
    return "<Relationship Id=\"" + id + "\" Type=\"" + kOfficeRelNs + "/" + type + "\" Target=\"" +
           target + "\"/>";
}

// A relationships part holding the given <Relationship> elements.
inline std::string RelationshipsXml(const std::string& relationships) {
    return std::string(kXmlDecl) + "<Relationships xmlns=\"" + kPackageRelNs + "\">" +
           relationships + "</Relationships>";
}

// The parts of a minimal XLSX workbook with one sheet at xl/worksheets/sheet1.xml.
inline std::vector<std::pair<std::string, std::string>> MinimalXlsxParts(
    std::string sheet_xml, std::string shared_strings_xml = {}, std::string styles_xml = {}) {
    std::vector<std::pair<std::string, std::string>> parts;
    parts.emplace_back("[Content_Types].xml",
                       std::string(kXmlDecl) +
                           R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/)"
                           R"(content-types"><Default Extension="xml" )"
                           R"(ContentType="application/xml"/></Types>)");
    parts.emplace_back("_rels/.rels", RelationshipsXml(RelationshipXml("rId1", "officeDocument",
                                                                       "xl/workbook.xml")));
    parts.emplace_back("xl/workbook.xml",
                       std::string(kXmlDecl) + "<workbook xmlns=\"" + kMainNs + "\" xmlns:r=\"" +
                           kOfficeRelNs + "\">" +
                           R"(<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets>)"
                           "</workbook>");
    std::string rels = RelationshipXml("rId1", "worksheet", "worksheets/sheet1.xml");
    if (!shared_strings_xml.empty()) {
        rels += RelationshipXml("rId2", "sharedStrings", "sharedStrings.xml");
        parts.emplace_back("xl/sharedStrings.xml", std::move(shared_strings_xml));
    }
    if (!styles_xml.empty()) {
        rels += RelationshipXml("rId3", "styles", "styles.xml");
        parts.emplace_back("xl/styles.xml", std::move(styles_xml));
    }
    parts.emplace_back("xl/_rels/workbook.xml.rels", RelationshipsXml(rels));
    parts.emplace_back("xl/worksheets/sheet1.xml", std::move(sheet_xml));
    return parts;
}

// Wraps <row> elements in a worksheet document.
inline std::string SheetXml(const std::string& rows) {
    return std::string(kXmlDecl) + "<worksheet xmlns=\"" + kMainNs + "\"><sheetData>" + rows +
           "</sheetData></worksheet>";
}

}  // namespace shian::io::test_util
