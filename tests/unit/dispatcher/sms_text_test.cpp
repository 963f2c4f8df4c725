// What every text we send respects: lengths counted as providers count them (UTF-16 units),
// cuts on character boundaries with a marker, parts that fit, and forwarded words cleaned of
// control and direction characters.
#include "dispatcher/core/sms_text.hpp"

#include <gtest/gtest.h>

namespace centinela {
namespace {

const std::string emoji = "\xF0\x9F\x9A\xA8";  // U+1F6A8 police light: two UTF-16 units
const std::string enye = "\xC3\xB1";           // ñ: one unit, two bytes

bool is_valid_utf8(const std::string& s) { return sanitize_forwarded(s).find("\xEF\xBF\xBD") == std::string::npos; }

TEST(SmsLength, CountsUtf16UnitsNotBytes) {
  EXPECT_EQ(sms_length("vans"), 4u);
  EXPECT_EQ(sms_length("ma" + enye + "ana"), 6u);
  EXPECT_EQ(sms_length(emoji), 2u);
  EXPECT_EQ(sms_length("\xE2\x80\xA6"), 1u) << "the ellipsis marker is one unit";
}

TEST(FitText, AFittingTextIsUntouched) {
  EXPECT_EQ(fit_text("vans at 5th", 11, "..."), "vans at 5th");
}

TEST(FitText, ALongTextEndsWithTheMarkerWithinTheLimit) {
  const std::string text(2000, 'a');
  const auto fitted = fit_text(text, 1600, " [cut]");
  EXPECT_EQ(sms_length(fitted), 1600u);
  EXPECT_TRUE(fitted.ends_with(" [cut]"));
}

TEST(FitText, NeverCutsInsideAMultiByteCharacter) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += enye + emoji;  // 3 units a pair
  for (std::size_t limit : {10u, 11u, 12u, 1000u}) {
    const auto fitted = fit_text(text, limit, "\xE2\x80\xA6");
    EXPECT_LE(sms_length(fitted), limit) << limit;
    EXPECT_TRUE(is_valid_utf8(fitted)) << limit;
    EXPECT_TRUE(fitted.ends_with("\xE2\x80\xA6")) << limit;
  }
  // One unit short of a whole emoji: the emoji is left out, not halved into a lone surrogate.
  EXPECT_EQ(fit_text("ab" + emoji + "cd", 3, ""), "ab");
  EXPECT_EQ(fit_text("ab" + emoji + "cd", 4, ""), "ab" + emoji);
}

TEST(FitText, PrefersACutAtASpaceNearTheEnd) {
  std::string text;
  while (text.size() < 300) text += "raid near school ";
  const auto fitted = fit_text(text, 100, "~");
  EXPECT_LE(sms_length(fitted), 100u);
  EXPECT_TRUE(fitted.ends_with(" school~") || fitted.ends_with(" raid~") || fitted.ends_with(" near~")) << fitted;
}

TEST(SplitText, PartsFitAndTogetherAreTheWholeText) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "car" + std::to_string(i) + " " + emoji + " ";
  text.pop_back();
  const auto parts = split_text(text, 160);
  ASSERT_GT(parts.size(), 10u);
  std::string whole;
  for (const auto& part : parts) {
    EXPECT_LE(sms_length(part), 160u);
    EXPECT_TRUE(is_valid_utf8(part));
    EXPECT_FALSE(part.ends_with(' ')) << "a part is cut after its last word, not after a space";
    whole += (whole.empty() ? "" : " ") + part;
  }
  EXPECT_TRUE(whole == text) << "the parts joined are not the text";  // EXPECT_EQ would print 3 KB
}

TEST(SplitText, NothingToSplitIsNoParts) {
  EXPECT_TRUE(split_text("", 160).empty());
  EXPECT_TRUE(split_text("vans", 0).empty());
}

TEST(SanitizeForwarded, DropsControlAndDirectionCharactersAndKeepsTheWords) {
  std::string text = "vans\x01 at\xE2\x80\xAE 5th";  // SOH, U+202E right-to-left override
  text.push_back('\0');
  text += "\x7F and\xE2\x81\xA6 main\xE2\x80\x8F";  // DEL, U+2066 isolate, U+200F mark
  EXPECT_EQ(sanitize_forwarded(text), "vans at 5th and main");
}

TEST(SanitizeForwarded, NewlinesAndTabsBecomeOneSpace) {
  EXPECT_EQ(sanitize_forwarded("vans\r\n\tat 5th\n"), "vans at 5th");
}

TEST(SanitizeForwarded, InvalidUtf8BecomesTheReplacementCharacter) {
  EXPECT_EQ(sanitize_forwarded("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_forwarded("a\xC3"), "a\xEF\xBF\xBD") << "a sequence cut off at the end";
  EXPECT_EQ(sanitize_forwarded("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "an overlong '/'";
  EXPECT_EQ(sanitize_forwarded(enye + emoji), enye + emoji);
}

}  // namespace
}  // namespace centinela
