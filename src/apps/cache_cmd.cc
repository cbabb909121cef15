// judgeopt cache stats|clear: inspect or empty the response cache of a workspace.

#include <cstdio>
#include <filesystem>

#include "apps/commands.h"
#include "judgeopt/store/response_cache.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {
namespace {

class CacheCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.require_subcommand(1, 1);
    stats_ = app.add_subcommand("stats", "Entries, size and entries per model of the cache");
    clear_ = app.add_subcommand("clear", "Delete every cached reply and compact the file");
    for (CLI::App* sub : {stats_, clear_}) {
      sub->add_option("--workspace", workspace_,
                      "Directory holding .judgeopt/cache.db (default: the current directory)");
    }
  }

  int Run(const GlobalOptions&) override {
    store::Workspace workspace(workspace_);
    const std::string path = workspace.CachePath().string();
    if (!std::filesystem::exists(workspace.CachePath())) {
      // Nothing to show or clear; do not create an empty cache as a side effect.
      std::printf("no response cache at %s\n", path.c_str());
      return 0;
    }
    auto cache = store::SqliteResponseCache::Open(path);
    if (!cache.ok()) return Fail("cache", cache.error().message);
    if (clear_->parsed()) {
      auto removed = (*cache)->Clear();
      if (!removed.ok()) return Fail("cache", removed.error().message);
      std::printf("removed %lld cached replies from %s\n", static_cast<long long>(*removed),
                  path.c_str());
      return 0;
    }
    auto stats = (*cache)->Stats();
    if (!stats.ok()) return Fail("cache", stats.error().message);
    std::printf("%s", store::RenderCacheStats(*stats, path).c_str());
    return 0;
  }

 private:
  CLI::App* stats_ = nullptr;
  CLI::App* clear_ = nullptr;
  std::string workspace_;
};

}  // namespace

std::unique_ptr<Command> MakeCacheCommand() { return std::make_unique<CacheCommand>(); }

}  // namespace judgeopt::apps
