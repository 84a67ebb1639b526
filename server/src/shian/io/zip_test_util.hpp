// MakeZip: builds a zip archive in memory, for tests and fuzz targets that need hand-made
// XLSX files. Not used by the server itself. Thread-safety: reentrant.
#pragma once

#include <zip.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace shian::io::testing {

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

// The parts of a minimal XLSX workbook with one sheet at xl/worksheets/sheet1.xml.
inline std::vector<std::pair<std::string, std::string>> MinimalXlsxParts(
    std::string sheet_xml, std::string shared_strings_xml = {}, std::string styles_xml = {}) {
    std::vector<std::pair<std::string, std::string>> parts;
    parts.emplace_back("[Content_Types].xml",
                       R"(<?xml version="1.0" encoding="UTF-8"?>)"
                       R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
                       R"(<Default Extension="xml" ContentType="application/xml"/></Types>)");
    parts.emplace_back(
        "_rels/.rels",
        R"(<?xml version="1.0" encoding="UTF-8"?>)"
        R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
        R"(</Relationships>)");
    parts.emplace_back(
        "xl/workbook.xml",
        R"(<?xml version="1.0" encoding="UTF-8"?>)"
        R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
        R"(<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>)");
    std::string rels =
        R"(<?xml version="1.0" encoding="UTF-8"?>)"
        R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)";
    if (!shared_strings_xml.empty()) {
        rels += R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)";
        parts.emplace_back("xl/sharedStrings.xml", std::move(shared_strings_xml));
    }
    if (!styles_xml.empty()) {
        rels += R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)";
        parts.emplace_back("xl/styles.xml", std::move(styles_xml));
    }
    rels += "</Relationships>";
    parts.emplace_back("xl/_rels/workbook.xml.rels", std::move(rels));
    parts.emplace_back("xl/worksheets/sheet1.xml", std::move(sheet_xml));
    return parts;
}

// Wraps <row> elements in a worksheet document.
inline std::string SheetXml(const std::string& rows) {
    return R"(<?xml version="1.0" encoding="UTF-8"?>)"
           R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
           "<sheetData>" +
           rows + "</sheetData></worksheet>";
}

}  // namespace shian::io::testing
