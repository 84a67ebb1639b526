// Synthetic but realistic businesses for the demo county and for benchmarks: plausible
// Chinese names and addresses per kind, valid USCCs (GB 32100), licence numbers and ID
// numbers (GB 11643), people, grades and statuses. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "shian/core/clock.hpp"
#include "shian/places/region.hpp"
#include "shian/registry/business.hpp"
#include "shian/storage/connection.hpp"

namespace shian::app {

class BusinessGenerator {
public:
    BusinessGenerator(uint64_t seed, std::vector<places::Region> places);
    // The n-th business (n makes the USCC unique); region_path/name set from the place.
    registry::Business Next(int64_t n, TimeMs now);

private:
    std::string PersonName();
    std::string IdNumber();
    std::string Phone();

    std::mt19937_64 rng_;
    std::vector<places::Region> places_;
    std::vector<places::Region> townships_;
};

struct DemoOptions {
    uint64_t seed = 20261125;
    int businesses = 3000;
    std::string password = "Shian@2026";
};

// Creates the demo businesses and one user per role in an already prepared database.
// Refuses to run when businesses already exist. Prints the logins to `log`.
Status CreateDemo(storage::Connection& conn, const Clock& clock, const DemoOptions& options, std::ostream& log);

// Inserts `count` synthetic businesses in batches (bench-data); prints progress to `log`.
Status CreateBenchData(storage::Connection& conn, const Clock& clock, uint64_t seed, int64_t count,
                       std::ostream& log);

}  // namespace shian::app
