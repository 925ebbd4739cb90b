// Message text: all text parts joined, and the copy-free view of it.
#include "core/chat.h"

#include <gtest/gtest.h>

namespace sb {
namespace {

ContentPart text_part(std::string text) { return {ContentPart::Kind::Text, std::move(text), "", ""}; }

TEST(MessageText, JoinsTextPartsAndViewsASinglePartWithoutACopy) {
  Message one{Role::User, {text_part("hello")}, "", {}, ""};
  std::string storage = "untouched";
  const std::string_view view = one.text_view(storage);
  EXPECT_EQ(view, "hello");
  EXPECT_EQ(view.data(), one.content[0].text.data());  // the part itself
  EXPECT_EQ(storage, "untouched");

  Message mixed{Role::User, {text_part("look: "), {ContentPart::Kind::ImageUrl, "", "https://x/y.png", "low"}, text_part("a cat")},
                "", {}, ""};
  EXPECT_EQ(mixed.text(), "look: a cat");
  EXPECT_EQ(mixed.text_view(storage), "look: a cat");
  EXPECT_EQ(storage, "look: a cat");

  Message image_only{Role::User, {{ContentPart::Kind::ImageUrl, "", "https://x/y.png", "low"}}, "", {}, ""};
  EXPECT_EQ(image_only.text_view(storage), "");
}

}  // namespace
}  // namespace sb
