#include <charconv>
#include <cstdlib>

#include "shian/storage/connection.hpp"

namespace shian::storage {

int64_t Rows::Int(size_t row, size_t col) const {
    const Value& v = rows_[row][col];
    if (const auto* i = std::get_if<int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
    if (const auto* s = std::get_if<std::string>(&v)) {
        int64_t out = 0;
        std::from_chars(s->data(), s->data() + s->size(), out);
        return out;
    }
    return 0;
}

double Rows::Double(size_t row, size_t col) const {
    const Value& v = rows_[row][col];
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
    return 0;
}

std::string Rows::Text(size_t row, size_t col) const {
    const Value& v = rows_[row][col];
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) {
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof buf, *d);
        return std::string(buf, res.ptr);
    }
    return {};
}

std::string Rows::TakeText(size_t row, size_t col) {
    if (auto* s = std::get_if<std::string>(&rows_[row][col])) return std::move(*s);
    return Text(row, col);
}

}  // namespace shian::storage
