// The enum-like settings at the config's edge: every name of every table parses from its key and
// prints back unchanged, and a name outside a table fails naming the key and the valid names.

#include "judgeopt/optim/config/settings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::optim {
namespace {

Result<OptimizeConfig> Parse(const std::string& toml) {
  auto tree = config::ParseToml(toml, "set.toml");
  if (!tree.ok()) return tree.error();
  const llm::EnvLookup no_env = [](const std::string&) { return std::optional<std::string>(); };
  return ParseOptimizeConfig(*tree, "set.toml", no_env);
}

// A key, the TOML that sets it to {} (with what else the value needs), and its valid names.
struct Setting {
  const char* key;
  const char* toml;
  std::vector<std::string> names;
};

std::vector<Setting> AllSettings() {
  return {
      {"protocol", "protocol = \"{}\"\n", EnumChoices<Protocol>()},
      {"optimize.algorithm", "[optimize]\nalgorithm = \"{}\"\n", EnumChoices<Algorithm>()},
      {"optimize.batch_order", "[optimize]\nbatch_order = \"{}\"\n", EnumChoices<BatchOrder>()},
      {"gate.metric", "[gate]\nmetric = \"{}\"\n", EnumChoices<GateMetric>()},
      {"gate.kind", "[gate]\nmetric = \"mae\"\nkind = \"{}\"\n", EnumChoices<GateKind>()},
      {"eval.split", "[eval]\nsplit = \"{}\"\n", EnumChoices<EvalSplit>()},
      {"opro.trajectory_order", "[opro]\ntrajectory_order = \"{}\"\n",
       EnumChoices<TrajectoryOrder>()},
      {"method.name", "[method]\nname = \"{}\"\n", EnumChoices<Method>()},
      {"method.mgda_eval", "[method]\nmgda_eval = \"{}\"\n", EnumChoices<MgdaEval>()},
      {"method.judge_mode", "[method]\njudge_mode = \"{}\"\n", EnumChoices<judge::JudgeMode>()},
      {"method.select", "[gate]\nmetric = \"mae\"\n[method]\nselect = \"{}\"\n",
       EnumChoices<FinalSelect>()},
  };
}

// The value of a dotted key in the stored config; nullptr when it is left out (a setting at its
// default can be: the [method] and [opro] tables, the gate's kind).
const config::Json* At(const config::Json& j, const std::string& key) {
  const std::size_t dot = key.find('.');
  if (dot == std::string::npos) return j.contains(key) ? &j.at(key) : nullptr;
  const std::string table = key.substr(0, dot), leaf = key.substr(dot + 1);
  if (!j.contains(table) || !j.at(table).contains(leaf)) return nullptr;
  return &j.at(table).at(leaf);
}

TEST(SettingsTest, EveryNameParsesAndIsStoredUnchanged) {
  for (const Setting& s : AllSettings()) {
    for (const std::string& name : s.names) {
      SCOPED_TRACE(std::string(s.key) + " = " + name);
      auto c = Parse(fmt::format(fmt::runtime(s.toml), name));
      ASSERT_TRUE(c.ok()) << c.error().ToString();
      const config::Json tree = OptimizeConfigToJson(*c);
      const config::Json* stored = At(tree, s.key);
      if (stored != nullptr) {
        EXPECT_EQ(*stored, name);
      }
      EXPECT_TRUE(stored != nullptr || name == s.names.front()) << "only a default is left out";
    }
  }
}

TEST(SettingsTest, AnUnknownNameFailsNamingTheKeyAndTheChoices) {
  for (const Setting& s : AllSettings()) {
    SCOPED_TRACE(s.key);
    auto c = Parse(fmt::format(fmt::runtime(s.toml), "nonsense"));
    ASSERT_FALSE(c.ok());
    const std::string& message = c.error().message;
    EXPECT_NE(message.find(fmt::format("key '{}'", s.key)), std::string::npos) << message;
    for (const std::string& name : s.names) {
      EXPECT_NE(message.find(name), std::string::npos) << message;
    }
    EXPECT_NE(message.find("\"nonsense\""), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace judgeopt::optim
