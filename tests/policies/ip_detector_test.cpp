#include "policies/privacy/ip_detector.h"

#include <gtest/gtest.h>

#include "tests/policies/detector_test_util.h"

namespace sb::policies {
namespace {

using test::found;
using test::Values;

const IpDetector kIpDetector;

TEST(IpDetectorTest, FindsIpv4) {
  EXPECT_EQ(found(kIpDetector, "server at 52.112.200.119 keeps timing out."), Values{"52.112.200.119"});
  EXPECT_EQ(found(kIpDetector, "0.0.0.0, 255.255.255.255 and 10.0.0.1:8080"),
            (Values{"0.0.0.0", "255.255.255.255", "10.0.0.1"}));
  EXPECT_EQ(found(kIpDetector, "subnet 10.0.0.0/8"), Values{"10.0.0.0"});
}

TEST(IpDetectorTest, FindsIpv6) {
  for (const char* address : {"2001:db8:422e:fb93:2f8c::daba", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "fe80::1",
                              "::1", "::ffff:192.0.2.128", "2001:db8::", "2001:DB8:0:0:8:800:200C:417A"})
    EXPECT_EQ(found(kIpDetector, std::string("from ") + address + ". ok"), Values{address}) << address;
  EXPECT_EQ(found(kIpDetector, "[2001:db8::7]:443"), Values{"2001:db8::7"});
}

TEST(IpDetectorTest, ReportsTheVersion) {
  const auto findings = test::findings_of(kIpDetector, "1.2.3.4 fe80::1");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0], (Finding{"IP_ADDRESS", 0, 7, "ip.v4", "octets"}));
  EXPECT_EQ(findings[1], (Finding{"IP_ADDRESS", 8, 15, "ip.v6", "rfc4291"}));
}

TEST(IpDetectorTest, IgnoresLookalikes) {
  for (const char* text : {"256.1.1.1", "1.2.3", "1.2.3.4.5", "v1.2.3.4", "01.2.3.4", "1.2.3.04", "version 10.05.1966",
                           "at 12:30:45", "mac 00:1a:2b:3c:4d:5e", "std::vector", "dead::beef", "a:b", "1:2:3:4:5:6:7:8:9",
                           "2001:db8::1::2", "2001:db8:12345::1", "localhost:61826", "v0.12.1", "ISBN 978-3-06-890283-2",
                           "Version 2.10.0.1 of the installer", "build 10.0.19041.1"})
    EXPECT_EQ(found(kIpDetector, text), Values{}) << text;
}

}  // namespace
}  // namespace sb::policies
