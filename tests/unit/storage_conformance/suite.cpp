// Every TEST_P of the conformance suite runs on each backend.
#include "conformance_fixture.hpp"

namespace g2a::test {

INSTANTIATE_TEST_SUITE_P(Backends, StorageConformance, ::testing::Values("file", "mysql", "redis"),
                         backend_name);

}  // namespace g2a::test
