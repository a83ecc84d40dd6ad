// kill -9 at an arbitrary point of a write-and-flush loop leaves every file loadable,
// with at least everything whose flush had returned.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "storage_test_fixture.hpp"

namespace g2a::test {
namespace {

using StorageFileCrash = StorageFileTest;

// Runs in the child: writes and flushes forever, reporting each completed flush on `out`.
[[noreturn]] void write_until_killed(TestHost& host, int out) {
  auto store = open_file_storage(host);
  if (!store) ::_exit(2);
  for (int i = 1;; ++i) {
    std::string n = std::to_string(i);
    store->put("tokens", "ssoNormal/token-" + n, R"({"status":"active","n":)" + n + "}");
    store->put("sessions", "counter", R"({"n":)" + n + "}");
    store->put("video_tasks", "video_" + n, R"({"status":"queued"})");
    store->append({R"({"id":")" + n + R"(","timestamp":)" + n + R"(,"model":"m","success":true})"});
    if (i % 5 == 0) store->trim(1000);
    if (store->flush() != G2A_OK) ::_exit(3);
    char byte = 'f';
    if (::write(out, &byte, 1) != 1) ::_exit(4);
  }
}

TEST_F(StorageFileCrash, KillDuringWritesLeavesLoadableFiles) {
  for (int flushes_before_kill = 1; flushes_before_kill <= 16; ++flushes_before_kill) {
    SCOPED_TRACE(flushes_before_kill);
    host.set_data_dir((data / std::to_string(flushes_before_kill)).string());
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(pipe_fds[0]);
      write_until_killed(host, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    char byte;
    for (int i = 0; i < flushes_before_kill; ++i) ASSERT_EQ(::read(pipe_fds[0], &byte, 1), 1);
    ::kill(child, SIGKILL);  // most likely in the middle of the next iteration
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
    // Completed flushes the parent did not read yet count too.
    int acknowledged = flushes_before_kill;
    while (::read(pipe_fds[0], &byte, 1) == 1) ++acknowledged;
    ::close(pipe_fds[0]);

    auto store = open();
    ASSERT_TRUE(store);
    auto counter = store->get("sessions", "counter");
    ASSERT_TRUE(counter);
    int64_t n = boost::json::parse(*counter).at("n").as_int64();
    EXPECT_GE(n, acknowledged);
    EXPECT_GE(store->list("tokens").size(), size_t(acknowledged));
    EXPECT_GE(store->list("video_tasks").size(), size_t(acknowledged));
    EXPECT_GE(store->query({}).total, uint64_t(acknowledged));
    for (const auto& [key, json] : store->list("tokens")) EXPECT_NO_THROW(boost::json::parse(json));
  }
}

}  // namespace
}  // namespace g2a::test
