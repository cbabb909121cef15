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
    if (!cache.ok() && clear_->parsed() && store::IsDamagedFileError(cache.error())) {
      return ClearDamaged(path, cache.error());
    }
    if (!cache.ok()) return Fail("cache", cache.error().message);
    if (clear_->parsed()) {
      auto removed = (*cache)->Clear();
      if (!removed.ok() && store::IsDamagedFileError(removed.error())) {
        cache->reset();  // closes the connection before the files go
        return ClearDamaged(path, removed.error());
      }
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
  // A damaged cache cannot be emptied through SQLite: its files are removed instead (the next
  // command makes a new one).
  static int ClearDamaged(const std::string& path, const Error& damage) {
    Status st = store::RemoveCacheFiles(path);
    if (!st.ok()) return Fail("cache", st.error().message);
    const std::string& m = damage.message;
    std::fprintf(stderr, "judgeopt cache: %s\n", m.substr(0, m.find('\n')).c_str());
    std::printf("removed the damaged cache %s; the next command starts an empty one\n",
                path.c_str());
    return 0;
  }

  CLI::App* stats_ = nullptr;
  CLI::App* clear_ = nullptr;
  std::string workspace_;
};

}  // namespace

std::unique_ptr<Command> MakeCacheCommand() { return std::make_unique<CacheCommand>(); }

}  // namespace judgeopt::apps
