// Admin password hashes: the documented format, verification, plain passwords.
#include <gtest/gtest.h>

#include <sstream>

#include "core/admin/password_hash.hpp"
#include "core/app/cli.hpp"

namespace g2a::admin {
namespace {

TEST(PasswordHash, HashHasTheDocumentedFormAndVerifies) {
  auto h = hash_password("correct horse", 1000);
  EXPECT_EQ(h.rfind("pbkdf2-sha256$1000$", 0), 0u) << h;
  EXPECT_EQ(std::count(h.begin(), h.end(), '$'), 3);
  EXPECT_TRUE(is_password_hash(h));
  EXPECT_TRUE(verify_password("correct horse", h));
  EXPECT_FALSE(verify_password("correct horsE", h));
  EXPECT_FALSE(verify_password("", h));
  EXPECT_NE(hash_password("correct horse", 1000), h);  // a new salt each time
}

TEST(PasswordHash, KnownVectorFromAnotherImplementation) {
  // python3: base64 of hashlib.pbkdf2_hmac("sha256", b"secret", b"saltsaltsaltsalt", 1000)
  EXPECT_TRUE(verify_password(
      "secret",
      "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$dClvKSmj66n6MdMWNv3Go4mvH1Ym2WIGiJvquqa+mfE="));
}

TEST(PasswordHash, PlainPasswordsKeepWorking) {
  EXPECT_FALSE(is_password_hash("hunter2"));
  EXPECT_TRUE(verify_password("hunter2", "hunter2"));
  EXPECT_FALSE(verify_password("hunter", "hunter2"));
  EXPECT_FALSE(verify_password("hunter22", "hunter2"));
}

TEST(PasswordHash, MalformedHashesMatchNothing) {
  for (const char* bad : {"pbkdf2-sha256$", "pbkdf2-sha256$x$c2FsdA==$AAAA",
                          "pbkdf2-sha256$0$c2FsdA==$AAAA", "pbkdf2-sha256$1000$c2FsdA==",
                          "pbkdf2-sha256$1000$c2FsdA==$AAAA", "pbkdf2-sha256$99999999999$a$b"}) {
    EXPECT_TRUE(is_password_hash(bad));
    EXPECT_FALSE(verify_password(bad, bad)) << bad;
    EXPECT_FALSE(verify_password("", bad)) << bad;
  }
}

TEST(PasswordHash, CommandLineFlagReadsOneLine) {
  EXPECT_TRUE(app::parse_command_line({"--hash-password"}).hash_password);
  std::istringstream in("s3cret\r\nignored\n");
  auto h = app::hash_password_line(in);
  EXPECT_TRUE(verify_password("s3cret", h));
  std::istringstream empty("\n");
  EXPECT_THROW(app::hash_password_line(empty), std::invalid_argument);
}

}  // namespace
}  // namespace g2a::admin
