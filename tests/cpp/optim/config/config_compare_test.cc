// Whether a stored run may continue under the config given now: concurrency, budget and the
// like may change; anything that decides the results may not, and the error names the key.

#include "judgeopt/optim/config/config_compare.h"

#include <gtest/gtest.h>

#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::optim {
namespace {

// The stored form (OptimizeConfigToJson text) of a TOML config.
std::string Stored(const std::string& toml) {
  auto tree = config::ParseToml(toml, "exp.toml");
  EXPECT_TRUE(tree.ok());
  const llm::EnvLookup no_env = [](const std::string&) { return std::optional<std::string>(); };
  auto c = ParseOptimizeConfig(*tree, "exp.toml", no_env);
  EXPECT_TRUE(c.ok()) << c.error().ToString();
  return OptimizeConfigToJson(*c).dump(2);
}

std::string Message(const Status& s) { return s.ok() ? "" : s.error().message; }

TEST(ConfigCompareTest, ConcurrencyBudgetAndTimeoutsMayChange) {
  const std::string base = Stored("[optimize]\nsteps = 4\n");
  const std::string other = Stored(
      "[optimize]\nsteps = 4\n[budget]\nmax_usd = 3.0\n"
      "[llm.judge]\ntimeout_s = 90\nmax_concurrency = 3\n");
  ASSERT_NE(base, other);  // the stored texts differ...
  EXPECT_TRUE(CheckSameResults(base, other).ok()) << Message(CheckSameResults(base, other));
  EXPECT_TRUE(CheckSameResults(base, base).ok());
}

TEST(ConfigCompareTest, AResultChangeIsRefusedNamingTheKeyAndBothValues) {
  const std::string base = Stored("[optimize]\nsteps = 4\n");
  const Status steps = CheckSameResults(base, Stored("[optimize]\nsteps = 5\n"));
  ASSERT_FALSE(steps.ok());
  EXPECT_NE(Message(steps).find("optimize.steps: stored 4, now 5"), std::string::npos)
      << Message(steps);

  const Status temperature =
      CheckSameResults(base, Stored("[optimize]\nsteps = 4\n[llm.judge]\ntemperature = 0.7\n"));
  ASSERT_FALSE(temperature.ok());
  EXPECT_NE(Message(temperature).find("llm.judge.temperature"), std::string::npos)
      << Message(temperature);

  const Status method =
      CheckSameResults(base, Stored("[optimize]\nsteps = 4\n[method]\nname = \"mgda\"\n"));
  ASSERT_FALSE(method.ok());
  EXPECT_NE(Message(method).find("method"), std::string::npos) << Message(method);
}

TEST(ConfigCompareTest, TextThatIsNotAConfigMustBeEqual) {
  EXPECT_TRUE(CheckSameResults("{\"steps\":3}", "{\"steps\":3}").ok());
  const Status s = CheckSameResults("{\"steps\":3}", "{\"steps\":4}");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("cannot be compared"), std::string::npos) << Message(s);
  EXPECT_FALSE(CheckSameResults("{not json", Stored("")).ok());
}

}  // namespace
}  // namespace judgeopt::optim
