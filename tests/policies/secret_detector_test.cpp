#include "policies/privacy/secret_detector.h"

#include <gtest/gtest.h>

#include "policies/privacy/secret_token_rules.h"
#include "tests/policies/detector_test_util.h"

namespace sb::policies {
namespace {

using test::found;
using test::Values;

const SecretDetector kSecretDetector;

// The rule that fired for the only secret in `text` ("" when there is not exactly one).
std::string rule_of(std::string_view text) {
  const auto findings = test::findings_of(kSecretDetector, text);
  return findings.size() == 1 ? findings[0].rule : "";
}

constexpr const char* kJwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

TEST(SecretDetectorTest, FindsProviderKeys) {
  const std::pair<const char*, const char*> cases[] = {
      {"sk-proj-gyL34VliqBx5dI_uFM-xRq1z87mx16E5C7C48_lfLdyWJbzE", "secret.openai_project"},
      {"sk-5Jq3nVb8Xk2mZp9LwR4tYc7HdF6gS1aE0uIoPzXyVbN3mQ8k", "secret.openai"},
      {"sk-ant-api03-fMX78IRMdy-wkAS2yikfqc-4GJd0IfIr7AAFsdIq-0Ua31hn_fZr_-wsZq1JIkEo6UmxBrclQDODpg1xel99B0AA",
       "secret.anthropic"},
      {"AKIA6BKZXHSNPMXTQKE5", "secret.aws_access_key"},
      {"ASIAY34FZKBOKMUTVV7A", "secret.aws_access_key"},
      {"ghp_U3g7MD5PUN1vu35mCdaMxE3vPIDViRTA1pbE", "secret.github_pat"},
      {"github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWX", "secret.github_pat"},
      {"xoxb-752652675873-589024590262-Hg8NNQ3OVAEIBuO5ADBTwSKC", "secret.slack"},
      {"sk_live_d7GxGgcvqTV78PqQr7BXHCCD", "secret.stripe"},
      {"rk_test_51Hx8Kq2eZvKYlo2C9dEfGh", "secret.stripe"},
      {"AIzalPIEs6z_R0uW0tshzQtZvn6gx2YLw5HO59C", "secret.google_api_key"},
      {"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", "secret.google_oauth_secret"},
  };
  for (const auto& [key, rule] : cases) {
    const std::string text = std::string("here: '") + key + "' - why?";
    EXPECT_EQ(found(kSecretDetector, text), Values{key}) << key;
    EXPECT_EQ(rule_of(text), rule) << key;
  }
  EXPECT_EQ(found(kSecretDetector, "OPENAI_API_KEY=sk-proj-gyL34VliqBx5dI_uFM-xRq1z87mx16E5C7C48_lfLdyWJbzE - why"),
            Values{"sk-proj-gyL34VliqBx5dI_uFM-xRq1z87mx16E5C7C48_lfLdyWJbzE"});
}

TEST(SecretDetectorTest, FindsJwtsWhoseHeaderIsJson) {
  EXPECT_EQ(found(kSecretDetector, std::string("curl -H 'Authorization: Bearer ") + kJwt + "' https://x"),
            Values{kJwt});
  const auto findings = test::findings_of(kSecretDetector, kJwt);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "secret.jwt");
  EXPECT_EQ(findings[0].validated_by, "json-header");
  // "eyJ" + base64url that does not decode to a JSON object.
  EXPECT_EQ(found(kSecretDetector, "eyJhbGciOiJIUzI1NiIsInR5cCI6.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc"), Values{});
}

TEST(SecretDetectorTest, FindsPemPrivateKeys) {
  const std::string key =
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
      "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----";
  EXPECT_EQ(found(kSecretDetector, "my key:\n" + key + "\nwhy does ssh reject it?"), Values{key});
  EXPECT_EQ(rule_of(key), "secret.pem_private_key");
  const std::string openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n"
                              "-----END OPENSSH PRIVATE KEY-----";
  EXPECT_EQ(found(kSecretDetector, openssh), Values{openssh});
  // Truncated: the key material up to where it stops.
  EXPECT_EQ(found(kSecretDetector, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5\n\nthanks"),
            Values{"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5"});
}

TEST(SecretDetectorTest, FindsHighEntropyTokensAfterKeyWords) {
  EXPECT_EQ(found(kSecretDetector, "db_password: Xk9#q and api_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
            Values{"9f8e7d6c5b4a39281706f5e4d3c2b1a0"});
  EXPECT_EQ(found(kSecretDetector, "The AWS secret access key is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            Values{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"});
  EXPECT_EQ(found(kSecretDetector, "Authorization: Bearer 4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99"),
            Values{"4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99"});
  EXPECT_EQ(rule_of("token=dGhpcyBpcyBhIHNlY3JldCB0b2tlbg=="), "secret.keyword_entropy");
}

TEST(SecretDetectorTest, FindsStrongValuesAssignedToPasswordKeys) {
  EXPECT_EQ(found(kSecretDetector, "password=S3cr3tP@ssw0rd! then retry"), Values{"S3cr3tP@ssw0rd!"});
  EXPECT_EQ(found(kSecretDetector, R"({"db_passwd": "Tr!cky#Pass"})"), Values{"Tr!cky#Pass"});
  EXPECT_EQ(rule_of("PWD: x7#Kq9!v."), "secret.password_assignment");
  EXPECT_EQ(found(kSecretDetector, "dbPassword = 'Zq8!mR2#'"), Values{"Zq8!mR2#"});
  EXPECT_EQ(found(kSecretDetector, "bypass=Zq8!mR2#xx"), Values{});
  for (const char* text : {"password: hunter2", "password=password", "Note: the password: is required",
                           "passport=AB123456!x", "pass: ok"})
    EXPECT_EQ(found(kSecretDetector, text), Values{}) << text;
}

TEST(SecretDetectorTest, IgnoresNonSecrets) {
  for (const char* text : {
           "Commit 02a1e5e608f728a3bbbebc32b49f530531b84782 broke the build on v0.21.11",
           "the request id is 344de7b9-0ddb-41fd-aedf-27d04fb15eb9.",
           "I use sk-learn and scikit-learn-intelex for ML",
           "AKIAXXXXXXXXXXXXXXXX is the placeholder", "ghp_short", "sk_live_", "eyJhbGciOiJIUzI1NiJ9",
           "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----",
           "the token count of project-2024-budget-review-final is high",
           "my password is hunter2", "key points: ISBN 978-0-89-623176-3",
           "monkey 9f8e7d6c5b4a39281706f5e4d3c2b1a0"})
    EXPECT_EQ(found(kSecretDetector, text), Values{}) << text;
}

TEST(SecretDetectorTest, ManyPemHeadersWithoutEndStayLinear) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "-----BEGIN PRIVATE KEY-----\nAAAA\n";
  EXPECT_EQ(test::findings_of(kSecretDetector, text).size(), 2000u);
}

TEST(SecretTokenRulesTest, MeasuresEntropy) {
  EXPECT_DOUBLE_EQ(shannon_entropy(""), 0.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("aaaa"), 0.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("abcd"), 2.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("aabb"), 1.0);
}

}  // namespace
}  // namespace sb::policies
