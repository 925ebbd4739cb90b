#include "policies/privacy/card_detector.h"

#include <gtest/gtest.h>

#include "tests/policies/detector_test_util.h"

namespace sb::policies {
namespace {

using test::found;
using test::Values;

const CardDetector kCardDetector;

TEST(CardDetectorTest, KnowsIssuerRangesAndLengths) {
  EXPECT_EQ(card_network("4398259791907482"), "visa");
  EXPECT_EQ(card_network("4337887623280"), "visa");
  EXPECT_EQ(card_network("4601290404796669723"), "visa");
  EXPECT_EQ(card_network("439825979190748"), "");  // Visa issues no 15-digit cards
  EXPECT_EQ(card_network("5151027346468696"), "mastercard");
  EXPECT_EQ(card_network("2221589693504921"), "mastercard");
  EXPECT_EQ(card_network("2720589913944119"), "mastercard");
  EXPECT_EQ(card_network("347715162046614"), "amex");
  EXPECT_EQ(card_network("370990695848303"), "amex");
  EXPECT_EQ(card_network("6011401198036497"), "discover");
  EXPECT_EQ(card_network("6444205552667863"), "discover");
  EXPECT_EQ(card_network("6598198463464849"), "discover");
  EXPECT_EQ(card_network("3528850695069927"), "jcb");
  EXPECT_EQ(card_network("36054749952524"), "diners");
  EXPECT_EQ(card_network("30055944610920"), "diners");
  EXPECT_EQ(card_network("6248343526119550"), "unionpay");
  EXPECT_EQ(card_network("6759372153974319"), "maestro");
  EXPECT_EQ(card_network("2200083592451959"), "mir");
  EXPECT_EQ(card_network("1351702894955472"), "");
  EXPECT_EQ(card_network("9788634327457"), "");  // an ISBN-13, Luhn-valid by chance
}

TEST(CardDetectorTest, ChecksLuhn) {
  EXPECT_TRUE(luhn_valid("4398259791907482"));
  EXPECT_FALSE(luhn_valid("4398259791907483"));
  EXPECT_TRUE(luhn_valid("0"));
  EXPECT_FALSE(luhn_valid(""));
}

TEST(CardDetectorTest, FindsCardsInPrintedLayouts) {
  for (const char* card : {"4398259791907482", "4398 2597 9190 7482", "4398-2597-9190-7482", "3709 906958 48303",
                           "3605 474995 2524", "4601 2904 0479 6669 723", "501892648475"})
    EXPECT_EQ(found(kCardDetector, std::string("card ") + card + ", exp 12/27"), Values{card}) << card;
}

TEST(CardDetectorTest, ReportsNetworkAndValidation) {
  const auto findings = test::findings_of(kCardDetector, "pay with 4398-2597-9190-7482");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0], (Finding{"CREDIT_CARD", 9, 28, "card.visa", "luhn+issuer:visa"}));
}

TEST(CardDetectorTest, KeepsTheCardWhenUnrelatedDigitsFollow) {
  EXPECT_EQ(found(kCardDetector, "4398 2597 9190 7482 2027"), Values{"4398 2597 9190 7482"});
}

TEST(CardDetectorTest, IgnoresHardNegatives) {
  for (const char* text : {"Is 4656 3551 5058 7706 a valid card?", "Is 4341-7047-1874-6331 valid?",
                           "factorial: 4847311423742620", "ISBN 978-8-63-432745-7", "4398 2597-9190 7482",
                           "id4398259791907482", "4398259791907482x", "v1.4398259791907482",
                           "43982597919074821234", "Commit 4398259791907482aa", "1351702894955472"})
    EXPECT_EQ(found(kCardDetector, text), Values{}) << text;
}

}  // namespace
}  // namespace sb::policies
