// ${VAR} expansion and the shield that lets references stand unquoted in YAML.
#include <gtest/gtest.h>

#include "core/config/env_expand.h"
#include "core/config/env_reference_shield.h"
#include "tests/core/config_test_util.h"

namespace sb::config {
namespace {

using test::env_of;

TEST(EnvExpand, ReplacesReferencesAnywhereInTheString) {
  const Expansion e = expand_env("http://${HOST}:${PORT}/v1", env_of({{"HOST", "h"}, {"PORT", "80"}}));
  EXPECT_EQ(e.text, "http://h:80/v1");
  EXPECT_TRUE(e.unset.empty());
}

TEST(EnvExpand, TextWithoutReferencesIsUnchanged) {
  EXPECT_EQ(expand_env("a $HOME b $ {x} $", env_of({})).text, "a $HOME b $ {x} $");
}

TEST(EnvExpand, DefaultsApplyWhenUnsetOrEmpty) {
  const auto env = env_of({{"EMPTY", ""}, {"SET", "v"}});
  EXPECT_EQ(expand_env("${UNSET:-d1}", env).text, "d1");
  EXPECT_EQ(expand_env("${EMPTY:-d2}", env).text, "d2");
  EXPECT_EQ(expand_env("${SET:-d3}", env).text, "v");
  EXPECT_EQ(expand_env("${UNSET:-}", env).text, "");
  EXPECT_TRUE(expand_env("${UNSET:-}", env).unset.empty());
  EXPECT_EQ(expand_env("${UNSET:-a:-b c}", env).text, "a:-b c");
}

TEST(EnvExpand, UnsetVariablesAreReportedOnceInOrder) {
  const Expansion e = expand_env("${B}-${A}-${B}-${EMPTY}", env_of({{"EMPTY", ""}}));
  EXPECT_EQ(e.text, "---");
  EXPECT_EQ(e.unset, (std::vector<std::string>{"B", "A", "EMPTY"}));
}

TEST(EnvExpand, MalformedReferencesThrow) {
  const auto env = env_of({});
  EXPECT_THROW(expand_env("${NAME", env), std::invalid_argument);
  EXPECT_THROW(expand_env("${}", env), std::invalid_argument);
  EXPECT_THROW(expand_env("${9LIVES}", env), std::invalid_argument);
  EXPECT_THROW(expand_env("${A-B}", env), std::invalid_argument);
  EXPECT_THROW(expand_env("${:-x}", env), std::invalid_argument);
}

TEST(EnvShield, RoundTripsAndKeepsLength) {
  const std::string yaml = "keys: [${K}, ${D:-a, [b] #d: e}]  # ${C} comment\nx: ${open\n";
  const std::string shielded = shield_env_references(yaml);
  EXPECT_EQ(shielded.size(), yaml.size());
  EXPECT_EQ(unshield_env_references(shielded), yaml);
  // Only the inside of complete one-line references changes: the list's own brackets and
  // comma stay, the characters inside ${D:-...} do not, an unterminated "${open" stays.
  const size_t list_comma = yaml.find("}, ") + 1;
  EXPECT_EQ(shielded.find_first_of("{},[]#:", 7), list_comma);
  const size_t d_start = yaml.find("${D"), d_end = yaml.find('}', d_start);
  EXPECT_EQ(shielded.substr(d_start, d_end + 1 - d_start).find_first_of("{},[]#:"), std::string::npos);
  EXPECT_EQ(shielded[d_end + 1], ']');
  EXPECT_EQ(shielded.substr(shielded.size() - 7), "${open\n");
}

TEST(EnvShield, FindsControlCharacters) {
  EXPECT_FALSE(first_control_character("a\tb\r\nc").has_value());
  EXPECT_EQ(first_control_character(std::string("ab\x11", 3)), 2u);
  EXPECT_EQ(first_control_character("a\x7f"), 1u);
}

}  // namespace
}  // namespace sb::config
