// Builds one county's region tree from the national division tables in shared/data/regions/
// (areas.csv, streets.csv, villages_*.csv.gz) or from a one-county extract
// (data/regions/<county>.csv: code,name,level,parent).
#pragma once

#include <string>
#include <vector>

#include "shian/places/region.hpp"

namespace shian::places {

// Reads data/regions/<county>.csv-style content (header code,name,level,parent).
Result<std::vector<Region>> ParseCountyExtract(std::string_view csv_text);

// Reads the national tables in `dir` and cuts out county `county_code` (6 digits).
Result<std::vector<Region>> LoadCountyFromNationalTables(const std::string& dir,
                                                         const std::string& county_code);

}  // namespace shian::places
