// Claims: in-memory leases timed by the host's monotonic clock.
#include "storage_test_fixture.hpp"

namespace g2a::test {
namespace {

using StorageFileClaim = StorageFileTest;

TEST_F(StorageFileClaim, OneOwnerAtATimeUntilTheLeaseRunsOut) {
  TestHost::freeze_clock(1700000000000, 5000);
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->claim("refresh", "gw-1", 1000));
  EXPECT_FALSE(store->claim("refresh", "gw-2", 1000));
  EXPECT_TRUE(store->claim("other", "gw-2", 1000));  // claims are independent
  TestHost::advance_clock(999);
  EXPECT_TRUE(store->claim("refresh", "gw-1", 1000));  // renewal extends to 5999 + 1000
  TestHost::advance_clock(999);
  EXPECT_FALSE(store->claim("refresh", "gw-2", 1000));
  TestHost::advance_clock(1);
  EXPECT_TRUE(store->claim("refresh", "gw-2", 1000));  // expired: taken over
  EXPECT_FALSE(store->claim("refresh", "gw-1", 1000));
}

TEST_F(StorageFileClaim, OnlyTheHolderCanRelease) {
  TestHost::freeze_clock(1700000000000, 1);
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->claim("job", "a", 60000));
  store->release("job", "b");  // not the holder: no effect
  EXPECT_FALSE(store->claim("job", "b", 60000));
  store->release("job", "a");
  EXPECT_TRUE(store->claim("job", "b", 60000));
  store->release("never-claimed", "a");
}

TEST_F(StorageFileClaim, EmptyNameOrOwnerIsRejected) {
  auto store = open();
  ASSERT_TRUE(store);
  int32_t acquired = -1;
  g2a_str empty{"", 0}, name{"n", 1};
  EXPECT_EQ(store->api().claim(store->instance(), empty, name, 10, &acquired, nullptr),
            G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->api().claim(store->instance(), name, empty, 10, &acquired, nullptr),
            G2A_BAD_ARGUMENT);
}

}  // namespace
}  // namespace g2a::test
