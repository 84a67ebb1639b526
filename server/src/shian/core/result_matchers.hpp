// GoogleTest assertions for Result/Status values, shared by the test files:
//   EXPECT_TRUE(IsOk(result));  EXPECT_TRUE(FailsWith(result, ErrorCode::kConflict));
// Test-only (include from *_test.cpp files).
#pragma once

#include <gtest/gtest.h>

#include "shian/core/error.hpp"

namespace shian {

template <typename R>
::testing::AssertionResult IsOk(const R& result) {
    if (result.ok()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << ErrorCodeName(result.error().code) << ": " << result.error().message;
}

// Fails unless the result is an error with `code` and a non-empty message.
template <typename R>
::testing::AssertionResult FailsWith(const R& result, ErrorCode code) {
    if (result.ok()) return ::testing::AssertionFailure() << "succeeded unexpectedly";
    if (result.error().code != code) {
        return ::testing::AssertionFailure()
               << "expected " << ErrorCodeName(code) << ", got "
               << ErrorCodeName(result.error().code) << ": " << result.error().message;
    }
    if (result.error().message.empty()) return ::testing::AssertionFailure() << "empty message";
    return ::testing::AssertionSuccess();
}

}  // namespace shian
