// One gateway per data directory: a second instance (in this or another process) is refused.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage_test_fixture.hpp"

namespace g2a::test {
namespace {

using StorageFileLock = StorageFileTest;

TEST_F(StorageFileLock, SecondInstanceOnTheSameDirectoryFails) {
  auto first = open();
  ASSERT_TRUE(first);
  std::string error = open_fails(G2A_CONFLICT);
  EXPECT_EQ(error, "data directory " + data.string() +
                       " is in use by another grok2api process (pid " + std::to_string(::getpid()) +
                       ")");
  first.reset();
  EXPECT_TRUE(open());  // the lock goes with the instance
}

TEST_F(StorageFileLock, AnotherProcessHoldingTheDirectoryIsNamed) {
  int ready[2], stop[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(stop), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = open_file_storage(host);
    char byte = store ? 'y' : 'n';
    if (::write(ready[1], &byte, 1) != 1) ::_exit(2);
    [[maybe_unused]] ssize_t n = ::read(stop[0], &byte, 1);  // hold the lock until killed
    ::_exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ASSERT_EQ(byte, 'y');
  std::string error = open_fails(G2A_CONFLICT);
  EXPECT_NE(error.find("(pid " + std::to_string(child) + ")"), std::string::npos) << error;
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  for (int fd : {ready[0], ready[1], stop[0], stop[1]}) ::close(fd);
  EXPECT_TRUE(open());  // a dead holder's lock is gone with it
}

}  // namespace
}  // namespace g2a::test
