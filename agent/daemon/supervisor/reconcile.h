// One way to run a set of things from a configuration: the desired set (one
// spec per thing, in order) against the running set, by key. The same code
// serves start-up (nothing runs yet) and every reload, for every kind of
// thing the daemon runs.
//
// A Kind supplies, for its Spec:
//   Key key(spec)                 what identifies the thing;
//   std::string identity(spec)    a change means stop it and start it again;
//   std::string settings(spec)    optional; a change with the same identity
//                                 means update(object, spec) in place, or a
//                                 restart when the kind has no update();
//   std::unique_ptr<Object> start(Spec& spec)
//                                 null when it could not start (the kind
//                                 says why); may complete the spec with what
//                                 it found on the host;
//   void update(Object&, const Spec&)   optional;
//   void stop(Object&)            before the object is let go.
// The running side keeps the spec each object was started or last updated
// with, so a change is always decided spec against spec.
//
// A plan is carried out in two halves so that the supervisor can order them
// across kinds: every kind stops what leaves (in reverse order of kinds),
// then every kind starts what arrives (in order). The running set keeps the
// order of the last desired set.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace keepvip::daemon {

// What the last plan does: unchanged and updated things keep running.
struct ReconcileCounts {
  size_t unchanged = 0;
  size_t updated = 0;
  size_t rebuilt = 0;
  size_t added = 0;
  size_t removed = 0;
  friend bool operator==(const ReconcileCounts&, const ReconcileCounts&) = default;
};

// A running set whose plan is carried out in two halves.
class Reconcilable {
 public:
  virtual ~Reconcilable() = default;
  virtual void stop_planned() = 0;
  virtual void start_planned() = 0;
};

template <typename Kind>
class RunningSet final : public Reconcilable {
 public:
  using Key = typename Kind::Key;
  using Spec = typename Kind::Spec;
  using Object = typename Kind::Object;
  struct Entry {
    Key key;
    Spec spec;
    std::unique_ptr<Object> object;
  };

  explicit RunningSet(Kind& kind) : kind_(kind) {}
  RunningSet(const RunningSet&) = delete;
  RunningSet& operator=(const RunningSet&) = delete;
  // Objects go in reverse order of start, without stop(): stopping is a
  // decision (a reload, a shutdown), destruction is not.
  ~RunningSet() override { clear(); }

  // Decides what changes; nothing runs or stops yet.
  void plan(std::vector<Spec> desired) {
    next_.clear();
    to_stop_.clear();
    counts_ = {};
    for (const Entry& e : entries_) {
      bool wanted = std::any_of(desired.begin(), desired.end(),
                                [&](const Spec& s) { return kind_.key(s) == e.key; });
      if (!wanted) {
        to_stop_.push_back(e.key);
        ++counts_.removed;
      }
    }
    for (Spec& spec : desired) {
      Key key = kind_.key(spec);
      const Entry* running = entry(key);
      Step step = Step::Start;
      if (!running) {
        ++counts_.added;
      } else if (kind_.identity(running->spec) != kind_.identity(spec)) {
        to_stop_.push_back(key);
        ++counts_.rebuilt;
      } else if (settings(running->spec) == settings(spec)) {
        step = Step::Keep;
        ++counts_.unchanged;
      } else if constexpr (kUpdates) {
        step = Step::Update;
        ++counts_.updated;
      } else {
        to_stop_.push_back(key);
        ++counts_.rebuilt;
      }
      next_.push_back({std::move(key), std::move(spec), step});
    }
  }

  // Stops what the plan removes or rebuilds, in that order.
  void stop_planned() override {
    for (const Key& key : to_stop_) {
      auto it = find_entry(key);
      if (it == entries_.end()) continue;
      kind_.stop(*it->object);
      // Found again: stop() may have run code that looked at this set.
      entries_.erase(find_entry(key));
    }
    to_stop_.clear();
  }

  // Starts what the plan adds or rebuilds and updates in place what it
  // updates, then orders the set as the desired set was.
  void start_planned() override {
    for (Planned& p : next_) {
      auto it = find_entry(p.key);
      switch (p.step) {
        case Step::Keep:
          if (it != entries_.end()) it->spec = std::move(p.spec);
          break;
        case Step::Update:
          if (it != entries_.end()) {
            if constexpr (kUpdates) kind_.update(*it->object, p.spec);
            it->spec = std::move(p.spec);
          }
          break;
        case Step::Start:
          // Appended only once started: whatever start() sets off finds a
          // set of running objects, never a half-made one.
          if (auto object = kind_.start(p.spec))
            entries_.push_back({p.key, std::move(p.spec), std::move(object)});
          break;
      }
    }
    std::stable_sort(entries_.begin(), entries_.end(), [this](const Entry& a, const Entry& b) {
      return position(a.key) < position(b.key);
    });
    next_.clear();
  }

  void reconcile(std::vector<Spec> desired) {
    plan(std::move(desired));
    stop_planned();
    start_planned();
  }

  // Lets everything go (see the destructor).
  void clear() {
    while (!entries_.empty()) entries_.pop_back();
  }

  const ReconcileCounts& counts() const { return counts_; }
  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  const Entry* entry(const Key& key) const {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const Entry& e) { return e.key == key; });
    return it == entries_.end() ? nullptr : &*it;
  }
  Object* find(const Key& key) const {
    const Entry* e = entry(key);
    return e ? e->object.get() : nullptr;
  }

 private:
  static constexpr bool kUpdates = requires(Kind & k, Object& o, const Spec& s) { k.update(o, s); };
  static constexpr bool kHasSettings = requires(Kind & k, const Spec& s) { k.settings(s); };

  enum class Step { Keep, Update, Start };
  struct Planned {
    Key key;
    Spec spec;
    Step step;
  };

  std::string settings(const Spec& spec) const {
    if constexpr (kHasSettings) {
      return kind_.settings(spec);
    } else {
      return kind_.identity(spec);
    }
  }
  typename std::vector<Entry>::iterator find_entry(const Key& key) {
    return std::find_if(entries_.begin(), entries_.end(),
                        [&](const Entry& e) { return e.key == key; });
  }
  // In the last plan (its keys stay whole until the end of start_planned);
  // what it did not mention goes last.
  size_t position(const Key& key) const {
    for (size_t i = 0; i < next_.size(); ++i)
      if (next_[i].key == key) return i;
    return next_.size();
  }

  Kind& kind_;
  std::vector<Entry> entries_;
  std::vector<Planned> next_;
  std::vector<Key> to_stop_;
  ReconcileCounts counts_;
};

}  // namespace keepvip::daemon
