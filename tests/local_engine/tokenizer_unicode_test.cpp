// Code point properties, UTF-8 handling, GPT-2's byte alphabet and the pre-tokenizer
// split patterns.
#include <gtest/gtest.h>

#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "local_engine/tokenizer_pre.h"
#include "local_engine/tokenizer_split.h"
#include "local_engine/tokenizer_wpm.h"
#include "local_engine/unicode.h"
#include "local_engine/unicode_bytes.h"

namespace sb::engine {
namespace {

TEST(Unicode, CategoryClassesAndWhiteSpace) {
  EXPECT_TRUE(codepoint_flags('a').is_letter());
  EXPECT_TRUE(codepoint_flags(0x00E9).is_letter());  // é
  EXPECT_TRUE(codepoint_flags(0x4E00).is_letter());  // 一 (Lo)
  EXPECT_TRUE(codepoint_flags('7').is_number());
  EXPECT_TRUE(codepoint_flags(0x00BD).is_number());  // ½ (No)
  EXPECT_TRUE(codepoint_flags('!').is_punctuation());
  EXPECT_TRUE(codepoint_flags('~').is_symbol());
  EXPECT_TRUE(codepoint_flags(0x20AC).is_symbol());   // €
  EXPECT_TRUE(codepoint_flags(0x1F999).is_symbol());  // 🦙 (So)
  EXPECT_TRUE(codepoint_flags(0x0301).is_mark());     // combining acute
  EXPECT_TRUE(codepoint_flags(0xE000).is_control());  // private use
  EXPECT_TRUE(codepoint_flags(0x0378).is_undefined());
  EXPECT_TRUE(codepoint_flags(0x110000).is_undefined());

  EXPECT_TRUE(codepoint_flags(' ').is_whitespace());
  EXPECT_TRUE(codepoint_flags(' ').is_separator());
  EXPECT_TRUE(codepoint_flags('\t').is_whitespace());
  EXPECT_TRUE(codepoint_flags('\t').is_control());
  EXPECT_TRUE(codepoint_flags(0x3000).is_whitespace());  // ideographic space
  EXPECT_TRUE(codepoint_flags(0x0085).is_whitespace());
  EXPECT_FALSE(codepoint_flags(0x200B).is_whitespace());  // zero width space is not White_Space
  EXPECT_FALSE(codepoint_flags(0x001C).is_whitespace());
}

TEST(Unicode, LowercaseAndNfdBase) {
  EXPECT_EQ(to_lower('A'), uint32_t('a'));
  EXPECT_EQ(to_lower('a'), uint32_t('a'));
  EXPECT_EQ(to_lower(0x03A3), 0x03C3u);        // Σ -> σ
  EXPECT_EQ(to_lower(0x0130), uint32_t('i'));  // İ: simple mapping
  EXPECT_EQ(to_lower('1'), uint32_t('1'));
  EXPECT_EQ(nfd_base(0x00E9), uint32_t('e'));  // é
  EXPECT_EQ(nfd_base(0x1E69), uint32_t('s'));  // ṩ (two marks)
  EXPECT_EQ(nfd_base(0xAC00), 0x1100u);        // 가 -> leading jamo
  EXPECT_EQ(nfd_base('x'), uint32_t('x'));
  EXPECT_STREQ(unicode_version(), "14.0.0");
}

TEST(Unicode, DecodeReplacesEachInvalidByte) {
  EXPECT_EQ(decode_utf8("a\xC3\xA9\xE4\xBD\xA0\xF0\x9F\xA6\x99"),
            (std::vector<uint32_t>{'a', 0xE9, 0x4F60, 0x1F999}));
  EXPECT_EQ(decode_utf8("\xFF"
                        "a\xE4\xBD"),
            (std::vector<uint32_t>{0xFFFD, 'a', 0xFFFD, 0xFFFD}));
  const std::vector<uint32_t> cpts = {'a', 0xE9, 0x4F60, 0x1F999};
  EXPECT_EQ(encode_utf8(cpts), "a\xC3\xA9\xE4\xBD\xA0\xF0\x9F\xA6\x99");
}

TEST(Unicode, WellFormedOutputHoldsBackIncompleteSequences) {
  std::string out;
  EXPECT_EQ(append_well_formed_utf8("ab\xF0\x9F\xA6", false, out), 2u);  // emoji cut after 3 bytes
  EXPECT_EQ(out, "ab");
  out.clear();
  EXPECT_EQ(append_well_formed_utf8("ab\xF0\x9F\xA6", true, out), 5u);
  EXPECT_EQ(out, "ab\xEF\xBF\xBD");
  out.clear();
  // stray continuation byte, a lead byte followed by ASCII, an overlong form, a surrogate
  append_well_formed_utf8("\x80x\xE4y\xC0\x80\xED\xA0\x80", false, out);
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(out, fffd + "x" + fffd + "y" + fffd + fffd + fffd + fffd + fffd);
}

TEST(ByteLevelAlphabet, MapsEveryByteToADistinctPrintableCodePoint) {
  std::set<uint32_t> seen;
  for (int b = 0; b < 256; ++b) {
    const uint32_t cpt = byte_to_codepoint(static_cast<uint8_t>(b));
    EXPECT_TRUE(seen.insert(cpt).second);
    EXPECT_FALSE(codepoint_flags(cpt).is_whitespace() || codepoint_flags(cpt).is_control()) << b;
    EXPECT_EQ(codepoint_to_byte(cpt), static_cast<uint8_t>(b));
  }
  EXPECT_EQ(byte_to_codepoint(' '), 0x120u);   // Ġ
  EXPECT_EQ(byte_to_codepoint('\n'), 0x10Au);  // Ċ
  EXPECT_EQ(byte_to_codepoint('a'), uint32_t('a'));
  EXPECT_EQ(codepoint_to_byte(0x4E00), std::nullopt);
  EXPECT_EQ(encode_byte_level(" a\n"),
            "\xC4\xA0"
            "a\xC4\x8A");
}

std::vector<std::string> split(SplitPattern pattern, const std::string& text) {
  const SplitText cpts = SplitText::decode(text);
  std::vector<CodepointSpan> spans;
  split_span(pattern, cpts, {0, cpts.cpts.size()}, spans);
  std::vector<std::string> pieces;
  for (const auto& span : spans) {
    pieces.push_back(encode_utf8(std::span(cpts.cpts).subspan(span.begin, span.end - span.begin)));
  }
  return pieces;
}

using Pieces = std::vector<std::string>;

TEST(SplitPatterns, Gpt2) {
  EXPECT_EQ(split(SplitPattern::Gpt2, "Hello world's  12 !!\n\tx"),
            (Pieces{"Hello", " world", "'s", " ", " 12", " !!", "\n", "\t", "x"}));
  EXPECT_EQ(split(SplitPattern::Gpt2, "I'VE  "),
            (Pieces{"I", "'", "VE", "  "}));  // case-sensitive, trailing spaces
}

TEST(SplitPatterns, Llama3AndQwen2) {
  const std::string text = "I'VE 12345 ok?\r\n\r\n  a";
  EXPECT_EQ(split(SplitPattern::Llama3, text),
            (Pieces{"I", "'VE", " ", "123", "45", " ok", "?\r\n\r\n", " ", " a"}));
  EXPECT_EQ(split(SplitPattern::Qwen2, text),
            (Pieces{"I", "'VE", " ", "1", "2", "3", "4", "5", " ok", "?\r\n\r\n", " ", " a"}));
  EXPECT_EQ(split(SplitPattern::Llama3, "x \n \n y"), (Pieces{"x", " \n \n", " y"}));
}

TEST(SplitPatterns, RunsAndSingles) {
  EXPECT_EQ(split(SplitPattern::PunctuationRun, "a+b==c...`x`"),
            (Pieces{"a", "+", "b", "==", "c", "...", "`x`"}));
  EXPECT_EQ(split(SplitPattern::PunctuationRunBacktick, "`x`"), (Pieces{"`", "x", "`"}));
  EXPECT_EQ(split(SplitPattern::AsciiDigitTriple, "1234567"), (Pieces{"123", "456", "7"}));
  EXPECT_EQ(split(SplitPattern::AsciiDigitTriple, "12a345"), (Pieces{"12a", "345"}));
  EXPECT_EQ(split(SplitPattern::NumberRun, "a12½b"), (Pieces{"a", "12½", "b"}));
  EXPECT_EQ(split(SplitPattern::SingleNumber, "a12"), (Pieces{"a", "1", "2"}));
  EXPECT_EQ(split(SplitPattern::LineBreak, "a\r\nb"), (Pieces{"a", "\r", "\n", "b"}));
  EXPECT_EQ(split(SplitPattern::SpaceLetters, "\tab1 c"), (Pieces{"\tab", "1", " c"}));
  EXPECT_EQ(split(SplitPattern::SpacePunctuation, "a ,. b"), (Pieces{"a", " ,.", " b"}));
  EXPECT_EQ(split(SplitPattern::TrailingSpace, "a b  "), (Pieces{"a b", "  "}));
  EXPECT_EQ(split(SplitPattern::BloomWord, "Hello, world! (x)"),
            (Pieces{"Hello", ",", " world", "! (", "x", ")"}));
}

TEST(SplitPatterns, LiteralRangesNeverMatchWhiteSpace) {
  // U+3000 lies inside both ranges, but the reference turns it into a plain \s first.
  EXPECT_EQ(split(SplitPattern::CjkRun, "ab你好\u3000世"), (Pieces{"ab", "你好", "\u3000", "世"}));
  EXPECT_EQ(split(SplitPattern::DeepseekSymbols, " !?\u3000("), (Pieces{" !?", "\u3000("}));
  EXPECT_EQ(split(SplitPattern::DeepseekCasedLetters, "Ωmega 1"), (Pieces{"Ωmega", " 1"}));
}

TEST(PreTokenizer, ChainsStagesAndKnowsTheReferenceNames) {
  const PreTokenizer falcon = PreTokenizer::from_name("falcon");
  EXPECT_EQ(falcon.split("x=1234567 $y"), (Pieces{"x", "=", "123", "456", "7", " ", "$", "y"}));
  EXPECT_EQ(PreTokenizer::from_name("llama-bpe").name, "llama3");
  EXPECT_TRUE(PreTokenizer::from_name("llama-bpe").ignore_merges);
  EXPECT_FALSE(PreTokenizer::from_name("qwen2").clean_spaces);
  EXPECT_EQ(PreTokenizer::from_name("").name, "default");
  try {
    PreTokenizer::from_name("klingon");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "unknown pre-tokenizer type: 'klingon'");
  }
}

TEST(WordPiece, NormalizesAndSplitsLikeBert) {
  EXPECT_EQ(wpm_words("Héllo, WORLD!  你好\x01x", true, true),
            (Pieces{"hello", ",", "world", "!", "你", "好", "x"}));
  EXPECT_EQ(wpm_words("Héllo", false, false), (Pieces{"Héllo"}));
}

}  // namespace
}  // namespace sb::engine
