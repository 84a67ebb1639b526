// Request and Response as the router sees them: plain values, independent of the HTTP server
// library (server.cpp adapts Poco::Net to these).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shian/access/user.hpp"

namespace shian::http {

struct Request {
    std::string method;
    std::string path;                                // decoded path without the query
    std::multimap<std::string, std::string> query;   // decoded query parameters
    std::map<std::string, std::string> headers;      // lower-case names
    std::string body;
    std::map<std::string, std::string> params;       // path parameters, e.g. {id}
    std::optional<access::Principal> principal;      // set by the auth step
    std::string token;                               // bearer token, when given
    std::string remote;

    // The single value of a query parameter, or empty.
    std::string Query(const std::string& name) const {
        auto it = query.find(name);
        return it == query.end() ? std::string() : it->second;
    }
    std::string Header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct Response {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace shian::http
