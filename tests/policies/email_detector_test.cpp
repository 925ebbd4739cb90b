#include "policies/privacy/email_detector.h"

#include <gtest/gtest.h>

#include "tests/policies/detector_test_util.h"

namespace sb::policies {
namespace {

using test::found;
using test::Values;

const EmailDetector kEmailDetector;

TEST(EmailDetectorTest, FindsAddressesWithTheirExactSpan) {
  EXPECT_EQ(found(kEmailDetector, "Write to jane.doe+billing@mail.example.co.uk."),
            Values{"jane.doe+billing@mail.example.co.uk"});
  EXPECT_EQ(found(kEmailDetector, "(ADMIN_2@Uni-Hamburg.DE), <x%y@a-b.io>"),
            (Values{"ADMIN_2@Uni-Hamburg.DE", "x%y@a-b.io"}));
  EXPECT_EQ(found(kEmailDetector, "a@b.cd,c@d.ef"), (Values{"a@b.cd", "c@d.ef"}));
  EXPECT_EQ(found(kEmailDetector, "punycode: user@xn--bcher-kva.xn--tckwe"), Values{"user@xn--bcher-kva.xn--tckwe"});
}

TEST(EmailDetectorTest, ReportsRuleAndValidation) {
  const auto findings = test::findings_of(kEmailDetector, "mail bob@example.com now");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0], (Finding{"EMAIL", 5, 20, "email.address", "syntax"}));
}

TEST(EmailDetectorTest, IgnoresWhatIsNotAnAddress) {
  EXPECT_EQ(found(kEmailDetector, "Ping @ben_dev about it"), Values{});
  EXPECT_EQ(found(kEmailDetector, "user@localhost and root@server"), Values{});
  EXPECT_EQ(found(kEmailDetector, "a@b.c is a one-letter TLD"), Values{});
  EXPECT_EQ(found(kEmailDetector, "trailing.@example.com and a..b@example.com"), Values{});
  EXPECT_EQ(found(kEmailDetector, "x@-bad.com y@bad-.com z@1.2.3.4"), Values{});
  EXPECT_EQ(found(kEmailDetector, "@@ @ a@ @b.com"), Values{});
}

}  // namespace
}  // namespace sb::policies
