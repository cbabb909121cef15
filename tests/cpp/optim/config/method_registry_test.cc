// The method registry: one entry per method.name, labels that name modes and run ids, and stages
// that are valid modes.

#include "judgeopt/optim/config/method_registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "judgeopt/optim/config/mode.h"

namespace judgeopt::optim {
namespace {

TEST(MethodRegistryTest, EveryMethodHasOneEntry) {
  std::set<std::string> names;
  for (const MethodEntry& e : AllMethods()) names.insert(EnumName(e.method));
  EXPECT_EQ(names.size(), AllMethods().size());
  for (const std::string& name : EnumChoices<Method>()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(names.count(name), 1u);
    const Method method = FindEnum<Method>(name).value();
    EXPECT_EQ(MethodEntryOf(method).method, method);
  }
}

TEST(MethodRegistryTest, LabelsFindTheirMethodAndStagesAreModes) {
  for (const MethodEntry& e : AllMethods()) {
    SCOPED_TRACE(EnumName(e.method));
    if (e.stages == nullptr) {  // plain runs on any mode and has no label
      EXPECT_STREQ(e.label, "");
      continue;
    }
    ASSERT_NE(MethodWithLabel(e.label), nullptr);
    EXPECT_EQ(MethodWithLabel(e.label)->method, e.method);
    EXPECT_TRUE(ParseMode(e.stages).ok());
  }
  EXPECT_EQ(MethodWithLabel(""), nullptr);
  EXPECT_EQ(MethodWithLabel("SSC"), nullptr);
  EXPECT_EQ(MethodWithLabel("spc"), nullptr);  // callers pass upper case
}

}  // namespace
}  // namespace judgeopt::optim
