// The sorted-set member that carries a record's filter fields to the Lua scripts: it must
// read back as what was written, and members of equal score must sort by sequence.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "call_log_record.hpp"
#include "log_member.hpp"
#include "lua_script.hpp"

namespace g2a::storage_redis {
namespace {

TEST(LogMember, CarriesTheFilterFields) {
  auto r = storage_file::parse_call_log_record(
      R"({"id":"a","timestamp":5,"sso_full":"AbC;1:x","model":"Grok-3;:","success":true,"response_time":1.25})");
  std::string member = "000000000000002a" + log_member_tail(r);
  auto m = decode_log_member(member);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->seq, "000000000000002a");
  EXPECT_TRUE(m->success);
  ASSERT_TRUE(m->response_time);
  EXPECT_EQ(*m->response_time, 1.25);
  EXPECT_EQ(m->model, "Grok-3;:");
  EXPECT_EQ(m->sso_lower, "abc;1:x");
}

TEST(LogMember, SsoFallsBackAndNoResponseTimeIsEmpty) {
  auto r = storage_file::parse_call_log_record(
      R"({"id":"b","timestamp":5,"sso_full":"","sso":"XY","model":"","success":"yes"})");
  auto m = decode_log_member("0000000000000001" + log_member_tail(r));
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->success);  // only true is success
  EXPECT_FALSE(m->response_time);
  EXPECT_EQ(m->model, "");
  EXPECT_EQ(m->sso_lower, "xy");
}

RC_GTEST_PROP(LogMember, RoundTrips, (bool ok, double rt, std::string model, std::string sso)) {
  storage_file::CallLogRecord r;
  r.success = ok;
  r.response_time = std::isfinite(rt) ? rt : storage_file::kNoResponseTime;
  r.model = model;
  r.sso = sso;
  auto m = decode_log_member("00000000000000ff" + log_member_tail(r));
  RC_ASSERT(m.has_value());
  RC_ASSERT(m->success == ok);
  RC_ASSERT(m->model == model);
  RC_ASSERT(m->sso_lower == lower_ascii(sso));
  if (std::isfinite(rt)) {
    RC_ASSERT(m->response_time.has_value());
    RC_ASSERT(*m->response_time == rt);
  } else {
    RC_ASSERT(!m->response_time.has_value());
  }
}

TEST(LogMember, EqualScoresSortBySequence) {
  // Redis orders equal scores by member bytes: the fixed-width hex sequence decides.
  std::string a = "00000000000000ff" + std::string("1;3:zzzzz");
  std::string b = "0000000000000100" + std::string("0;1:a");
  EXPECT_LT(a, b);
}

TEST(LuaScript, Sha1IsWhatScriptLoadReturns) {
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1_hex("return 1"), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
}

}  // namespace
}  // namespace g2a::storage_redis
