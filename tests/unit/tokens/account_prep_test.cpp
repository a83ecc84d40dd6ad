// The pieces of account preparation that need no network: the TOS and NSFW gRPC-web
// bodies, the trailer or header status, the birth date.
#include <gtest/gtest.h>

#include "core/tokens/account_prep.hpp"

namespace g2a::tokens {
namespace {

TEST(AccountPrep, NsfwBodyIsTheSpecifiedFrame) {
  std::string expected("\x00\x00\x00\x00\x20\x0a\x02\x10\x01\x12\x1a\x0a\x18", 13);
  expected += "always_show_nsfw_content";
  EXPECT_EQ(nsfw_request_body(), expected);
}

TEST(AccountPrep, TosBodyIsTheSpecifiedFrame) {
  EXPECT_EQ(tos_request_body(), std::string("\x00\x00\x00\x00\x02\x10\x01", 7));
}

TEST(AccountPrep, GrpcWebStatusOfATrailersOnlyAnswerIsInTheHeaders) {
  upstream::HttpResponse r;
  r.head.status = 200;
  r.head.headers = {{"Content-Type", "application/grpc-web+proto"},
                    {"Grpc-Status", "13"},
                    {"grpc-message", "Internal%20error"}};
  auto st = grpc_web_status(r);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->code, 13);
  EXPECT_EQ(st->message, "Internal error");
  // Without the header the trailer frame decides; without either there is no status.
  r.head.headers.resize(1);
  std::string t = "grpc-status:0\r\n";
  r.body = std::string("\x80\x00\x00\x00", 4) + static_cast<char>(t.size()) + t;
  EXPECT_EQ(grpc_web_status(r)->code, 0);
  r.body.clear();
  EXPECT_FALSE(grpc_web_status(r));
}

TEST(AccountPrep, GrpcWebTrailerStatus) {
  std::string trailer = "grpc-status:9\r\ngrpc-message:birth%20date%20must%20be%20set\r\n";
  std::string body("\x80\x00\x00\x00", 4);
  body += static_cast<char>(trailer.size());
  body += trailer;
  auto st = grpc_web_status(body);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->code, 9);
  EXPECT_EQ(st->message, "birth date must be set");
  // A data frame first, then an OK trailer.
  std::string ok("\x00\x00\x00\x00\x00", 5);
  std::string t = "grpc-status:0\r\n";
  ok += std::string("\x80\x00\x00\x00", 4) + static_cast<char>(t.size()) + t;
  EXPECT_EQ(grpc_web_status(ok)->code, 0);
  EXPECT_FALSE(grpc_web_status(""));
  EXPECT_FALSE(grpc_web_status("{}"));
}

TEST(AccountPrep, BirthDateIsAnAdultInTheWebAppsFormat) {
  const int64_t now = 1'760'000'000'000;  // 2025-10-09
  for (int i = 0; i < 200; ++i) {
    auto d = random_birth_date(now);
    ASSERT_EQ(d.size(), 24u) << d;
    EXPECT_EQ(d.substr(10), "T16:00:00.000Z");
    int year = std::stoi(d.substr(0, 4));
    EXPECT_GE(year, 2025 - 41);
    EXPECT_LE(year, 2025 - 20);
  }
}

}  // namespace
}  // namespace g2a::tokens
