// The JSON recognizer behind response_format: valid and invalid prefixes, numbers,
// escapes, UTF-8, nesting, the whitespace bound, schemas, and shortest completions.
#include "local_engine/json_constraint.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "local_engine/json_value.h"

namespace sb::engine {
namespace {

const char* const kPersonSchema = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string"},
    "age": {"type": "integer"},
    "mood": {"enum": ["happy", "sad"]},
    "tags": {"type": "array", "items": {"type": "string"}}
  },
  "required": ["name", "age"]
})";

JsonConstraint any_value() { return JsonConstraint::from_schema("{}"); }

bool complete_after(JsonConstraint c, const std::string& text) {
  if (!c.accepts(text)) return false;
  c.advance(text);
  return c.complete();
}

// `text` is accepted byte by byte up to its last byte, which is refused.
void expect_refused_at_end(const JsonConstraint& c, const std::string& text) {
  SCOPED_TRACE(text);
  EXPECT_TRUE(c.accepts(text.substr(0, text.size() - 1)));
  EXPECT_FALSE(c.accepts(text));
}

TEST(JsonConstraintObject, AcceptsObjectsOnly) {
  const JsonConstraint c = JsonConstraint::object();
  EXPECT_TRUE(c.accepts(""));
  EXPECT_TRUE(c.accepts("{"));
  EXPECT_TRUE(c.accepts("  {"));
  EXPECT_TRUE(complete_after(c, "{}"));
  EXPECT_TRUE(complete_after(c, R"({"a": [1, -2.5e3, true, false, null, "x", {}], "b": {"c": []}})"));
  EXPECT_FALSE(c.accepts("["));
  EXPECT_FALSE(c.accepts("1"));
  EXPECT_FALSE(c.accepts("\"x\""));
  EXPECT_FALSE(c.accepts("n"));
  EXPECT_FALSE(complete_after(c, "{\"a\":1"));
}

TEST(JsonConstraintObject, NothingFollowsACompleteValue) {
  JsonConstraint c = JsonConstraint::object();
  c.advance("{}");
  EXPECT_TRUE(c.finished());
  EXPECT_EQ(c.shortest_completion(), 0u);
  EXPECT_FALSE(c.accepts(" "));
  EXPECT_FALSE(c.accepts("{"));
  EXPECT_TRUE(c.accepts(""));
  EXPECT_THROW(c.advance("x"), std::invalid_argument);
}

TEST(JsonConstraintSyntax, RefusesStructuralErrors) {
  const JsonConstraint c = JsonConstraint::object();
  expect_refused_at_end(c, "{,");
  expect_refused_at_end(c, "{\"a\" 1");
  expect_refused_at_end(c, "{\"a\":}");
  expect_refused_at_end(c, "{\"a\":1,}");
  expect_refused_at_end(c, "{\"a\":1 2");
  expect_refused_at_end(c, "{\"a\":[1,]");
  expect_refused_at_end(c, "{\"a\":[1 2");
  expect_refused_at_end(c, "{\"a\":]");
  expect_refused_at_end(c, "{\"a\":1]");
  expect_refused_at_end(c, "{a");
  expect_refused_at_end(c, "{\"a\":tru ");
  expect_refused_at_end(c, "{\"a\":nul}");
  expect_refused_at_end(c, "{\"a\":'");
}

TEST(JsonConstraintNumbers, FollowTheJsonGrammar) {
  const JsonConstraint c = any_value();
  for (const char* ok : {"0", "-0", "7", "-12", "3.25", "0.5e10", "1E+2", "6e-07", "-0.0"})
    EXPECT_TRUE(complete_after(c, ok)) << ok;
  for (const char* prefix : {"-", "1.", "1e", "1e+", "-0."}) {
    EXPECT_TRUE(c.accepts(prefix)) << prefix;
    EXPECT_FALSE(complete_after(c, prefix)) << prefix;
  }
  for (const char* bad : {"01", "+1", ".5", "1.e5", "1e5.0", "0x1", "--1", "1-", "1ee"})
    EXPECT_FALSE(c.accepts(bad)) << bad;
  expect_refused_at_end(JsonConstraint::object(), "{\"n\":-}");
  expect_refused_at_end(JsonConstraint::object(), "{\"n\":1.}");
  EXPECT_TRUE(complete_after(JsonConstraint::object(), "{\"n\":-1.5e-3}"));
}

TEST(JsonConstraintNumbers, TopLevelNumberIsCompleteButMayGrow) {
  JsonConstraint c = any_value();
  c.advance("12");
  EXPECT_TRUE(c.complete());
  EXPECT_FALSE(c.finished());
  EXPECT_TRUE(c.accepts("3"));
  EXPECT_FALSE(c.accepts(" "));
}

TEST(JsonConstraintNumbers, LengthIsBounded) {
  const JsonConstraint c = any_value();
  const std::string digits(JsonMachine::kMaxNumberBytes, '1');
  EXPECT_TRUE(c.accepts(digits));
  EXPECT_FALSE(c.accepts(digits + "1"));
  // A number one byte short of the bound may not take a '.' it could not finish.
  EXPECT_FALSE(c.accepts(digits.substr(1) + "."));
  EXPECT_TRUE(c.accepts(digits.substr(2) + "."));
}

TEST(JsonConstraintStrings, EscapesAndSurrogatePairs) {
  const JsonConstraint c = any_value();
  EXPECT_TRUE(complete_after(c, R"("a\n\t\r\b\f\"\\\/\u00e9\u20AC")"));
  EXPECT_TRUE(complete_after(c, R"("\ud83d\ude00")"));
  expect_refused_at_end(c, R"("\x)");
  expect_refused_at_end(c, R"("\u12g)");
  expect_refused_at_end(c, R"("\udc)");       // a lone low surrogate can only follow a high one
  expect_refused_at_end(c, R"("\ud83d")");    // high surrogate needs its low half
  expect_refused_at_end(c, R"("\ud83d\u0)");   // ... which must be DC00-DFFF
  EXPECT_TRUE(c.accepts(R"("\ud)"));           // could still become D000-D7FF
  expect_refused_at_end(c, "\"a\n");          // raw control characters are not allowed
}

TEST(JsonConstraintStrings, Utf8IsChecked) {
  const JsonConstraint c = any_value();
  EXPECT_TRUE(complete_after(c, "\"h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\""));
  EXPECT_TRUE(c.accepts("\"\xE2\x82"));  // a character split across tokens
  expect_refused_at_end(c, "\"\xE2\x82\"");
  EXPECT_FALSE(c.accepts("\"\xC0\xAF"));      // overlong
  EXPECT_FALSE(c.accepts("\"\xED\xA0\x80"));  // UTF-16 surrogate
  EXPECT_FALSE(c.accepts("\"\xF4\x90"));      // above U+10FFFF
  EXPECT_FALSE(c.accepts("\"\x80"));          // stray continuation byte
  EXPECT_FALSE(c.accepts("\"\xFF"));
  EXPECT_FALSE(c.accepts("\xC3\xA9"));        // non-ASCII outside a string
}

TEST(JsonConstraintStructure, NestingIsBoundedButAlwaysClosable) {
  JsonConstraint c = JsonConstraint::object();
  c.advance("{\"a\":");
  size_t opened = 0;
  while (c.accepts("[")) {
    c.advance("[");
    ++opened;
  }
  EXPECT_GT(opened, 60u);
  EXPECT_TRUE(c.accepts("1"));
  c.advance(std::string(opened, ']') + "}");
  EXPECT_TRUE(c.finished());
}

TEST(JsonConstraintStructure, WhitespaceRunsAreBounded) {
  const JsonConstraint c = JsonConstraint::object();
  const std::string run(JsonMachine::kMaxWhitespaceRun, ' ');
  EXPECT_TRUE(c.accepts("{" + run + "\"a\"" + run + ":" + run + "1" + run + "}"));
  EXPECT_FALSE(c.accepts("{" + run + " "));
  EXPECT_FALSE(c.accepts("{\n" + run));
  EXPECT_TRUE(c.accepts("{\"" + run + run + "\""));  // spaces inside a string are content
}

TEST(JsonConstraintSchema, PropertiesRequiredAndTypes) {
  const JsonConstraint c = JsonConstraint::from_schema(kPersonSchema);
  EXPECT_TRUE(complete_after(c, R"({"name":"Ann","age":3})"));
  EXPECT_TRUE(complete_after(c, R"({ "age": -3, "mood": "sad", "name": "Bo", "tags": ["a", "b"] })"));
  expect_refused_at_end(c, "{}");
  expect_refused_at_end(c, R"({"name":"Ann"})");           // age is required
  expect_refused_at_end(c, R"({"ni)");                      // not a property
  expect_refused_at_end(c, R"({"name":1)");                 // name is a string
  expect_refused_at_end(c, R"({"name":"x","age":1.)");      // age is an integer
  expect_refused_at_end(c, R"({"age":1,"a)");               // each property once
  expect_refused_at_end(c, R"({"name":"x","age":1,"mood":"hap!)");
  expect_refused_at_end(c, R"({"name":"x","age":1,"mood":"happy!)");
  expect_refused_at_end(c, R"({"name":"x","age":1,"tags":[1)");
  expect_refused_at_end(c, R"({"name":"x","age":1,"mood":"sad","tags":[],)");  // nothing left
  EXPECT_TRUE(c.accepts(R"({"na)"));
  EXPECT_TRUE(c.accepts(R"({"name":"x","age":1,"mood":"ha)"));
}

TEST(JsonConstraintSchema, ShortestCompletionCountsRequiredMembers) {
  JsonConstraint c = JsonConstraint::from_schema(kPersonSchema);
  EXPECT_EQ(c.shortest_completion(), std::string(R"({"age":0,"name":""})").size());
  c.advance("{");
  EXPECT_EQ(c.shortest_completion(), std::string(R"("age":0,"name":""})").size());
  c.advance(R"("mo)");
  EXPECT_EQ(c.shortest_completion(), std::string(R"(od":"sad","age":0,"name":""})").size());
  c.advance(R"(od":"happy","name":"Al")");
  EXPECT_EQ(c.shortest_completion(), std::string(R"(,"age":0})").size());
  c.advance(R"(,"age":1)");
  EXPECT_EQ(c.shortest_completion(), 1u);
  EXPECT_EQ(c.completion_after("}"), 0u);
  EXPECT_EQ(c.completion_after("x"), JsonConstraint::kRefused);
}

TEST(JsonConstraintSchema, ShortestCompletionIsReachable) {
  // Each byte of a shortest completion lowers it by exactly one, from any prefix.
  for (const std::string prefix : {"", "{\"ta", "{\"tags\":[\"a\\u00", "{\"name\":\"\\ud83d", "{\"age\":-"}) {
    JsonConstraint c = JsonConstraint::from_schema(kPersonSchema);
    c.advance(prefix);
    for (size_t left = c.shortest_completion(); left > 0; --left) {
      bool stepped = false;
      for (int b = 0; b < 256 && !stepped; ++b) {
        const std::string byte(1, static_cast<char>(b));
        if (c.completion_after(byte) == left - 1) {
          c.advance(byte);
          stepped = true;
        }
      }
      ASSERT_TRUE(stepped) << prefix << " with " << left << " bytes left";
    }
    EXPECT_TRUE(c.complete()) << prefix;
  }
}

TEST(JsonConstraintSchema, ScalarTypesAndUnions) {
  const JsonConstraint nullable = JsonConstraint::from_schema(R"({"type": ["string", "null"]})");
  EXPECT_TRUE(complete_after(nullable, "null"));
  EXPECT_TRUE(complete_after(nullable, "\"x\""));
  EXPECT_FALSE(nullable.accepts("1"));
  EXPECT_FALSE(nullable.accepts("t"));
  const JsonConstraint flag = JsonConstraint::from_schema(R"({"type": "boolean"})");
  EXPECT_TRUE(complete_after(flag, "false"));
  EXPECT_FALSE(flag.accepts("n"));
  expect_refused_at_end(flag, "trux");
  const JsonConstraint ints = JsonConstraint::from_schema(R"({"items": {"type": "integer"}})");
  EXPECT_TRUE(complete_after(ints, "[1, -2, 30]"));
  expect_refused_at_end(ints, "[1, \"");
  expect_refused_at_end(ints, "[1e");
  const JsonConstraint number = JsonConstraint::from_schema(R"({"type": "number"})");
  EXPECT_TRUE(complete_after(number, "4"));
  EXPECT_TRUE(complete_after(number, "4.5"));
}

TEST(JsonConstraintSchema, EnumsAndEscapedNames) {
  const JsonConstraint color = JsonConstraint::from_schema(R"({"enum": ["red", "re", "green"]})");
  EXPECT_TRUE(complete_after(color, "\"re\""));
  EXPECT_TRUE(complete_after(color, "\"red\""));
  expect_refused_at_end(color, "\"r\"");
  expect_refused_at_end(color, "\"b");
  const JsonConstraint quoted = JsonConstraint::from_schema(R"({"properties": {"a\"b": {"const": "x\ny"}}, "required": ["a\"b"]})");
  EXPECT_TRUE(complete_after(quoted, R"({"a\"b":"x\ny"})"));
  expect_refused_at_end(quoted, R"({"a")");
}

TEST(JsonConstraintSchema, UnsupportedKeywordsFallBackToPlainJson) {
  const JsonConstraint any_of = JsonConstraint::from_schema(R"({"anyOf": [{"type": "string"}], "$ref": "#/x"})");
  EXPECT_TRUE(complete_after(any_of, "[1, {\"a\": null}]"));
  const JsonConstraint numeric_enum = JsonConstraint::from_schema(R"({"type": "integer", "enum": [1, 2]})");
  EXPECT_TRUE(complete_after(numeric_enum, "7"));
  EXPECT_TRUE(complete_after(JsonConstraint::from_schema("true"), "\"anything\""));
}

TEST(JsonConstraintSchema, ObjectsWithTooManyPropertiesAcceptAnyKeys) {
  std::string schema = R"({"properties": {)";
  for (size_t i = 0; i <= kMaxSchemaProperties; ++i) schema += (i ? ",\"p" : "\"p") + std::to_string(i) + "\":{}";
  schema += "}}";
  EXPECT_TRUE(complete_after(JsonConstraint::from_schema(schema), R"({"other": 1})"));
}

TEST(JsonConstraintSchema, BadSchemasAreRejected) {
  for (const char* bad : {"", "{", "[]", "false", "{\"type\": \"strin\"}", "{\"type\": []}",
                          "{\"type\": [1]}", "{\"properties\": []}", "{\"required\": \"a\"}",
                          "{\"required\": [1]}", "{\"enum\": []}", "{\"type\": \"integer\", \"enum\": [\"a\"]}",
                          "{\"properties\": {\"a\": 3}}", "{} x"}) {
    EXPECT_THROW(JsonConstraint::from_schema(bad), std::invalid_argument) << bad;
  }
  try {
    JsonConstraint::from_schema(R"({"properties": {"age": {"type": "int"}}})");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("#/properties/age"), std::string::npos) << e.what();
  }
}

TEST(JsonValueParse, ParsesDocumentsAndRejectsMalformedOnes) {
  const JsonValue v = parse_json(R"( {"a": [1, 2.5, -3e2], "b": "\u00e9\ud83d\ude00", "c": true, "d": null} )");
  ASSERT_EQ(v.type, JsonValue::Type::Object);
  ASSERT_NE(v.find("a"), nullptr);
  EXPECT_EQ(v.find("a")->array.at(2).number, -300.0);
  EXPECT_EQ(v.find("b")->string, "\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_TRUE(v.find("c")->boolean);
  EXPECT_EQ(v.find("d")->type, JsonValue::Type::Null);
  EXPECT_EQ(v.find("e"), nullptr);
  for (const char* bad : {"[1,]", "{\"a\" 1}", "\"\\ud800\"", "\"\\udc00\"", "01", "\"\x01\"", "\"\xC0\xAF\"", "nul",
                          "[1] [2]"})
    EXPECT_THROW(parse_json(bad), std::invalid_argument) << bad;
  EXPECT_THROW(parse_json(std::string(kMaxJsonDepth + 1, '[')), std::invalid_argument);
}

TEST(JsonValueEscape, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(json_escape("a\"b\\c\nd\x01\xC3\xA9"), "a\\\"b\\\\c\\nd\\u0001\xC3\xA9");
}

}  // namespace
}  // namespace sb::engine
