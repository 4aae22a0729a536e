#include "wal/group_commit.h"

#include <vector>

namespace strata::wal {

struct GroupCommit::Request {
  enum class Kind { kWrite, kRotate };
  Kind kind = Kind::kWrite;
  Record* record = nullptr;
  std::string encoded;
  Status status;
  uint64_t result = 0;
  bool done = false;
  std::condition_variable cv;
};

namespace {

uint64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

GroupCommit::GroupCommit(GroupCommitOptions options, std::unique_ptr<Sink> sink)
    : options_(std::move(options)),
      sink_(std::move(sink)),
      next_seq_(options_.first_seq),
      acked_next_seq_(options_.first_seq) {}

Result<std::unique_ptr<GroupCommit>> GroupCommit::Open(GroupCommitOptions options,
                                                       std::unique_ptr<Sink> sink) {
  if (sink == nullptr) return Status::InvalidArgument("GroupCommit needs a sink");
  if (options.first_seq < kMinUserSeq || options.first_seq > kMaxSeq) {
    return Status::InvalidArgument("GroupCommit: first_seq out of range");
  }
  std::unique_ptr<GroupCommit> gc(new GroupCommit(std::move(options), std::move(sink)));
  SegmentManagerOptions seg_options;
  seg_options.dir = gc->options_.dir;
  seg_options.segment_size = gc->options_.segment_size;
  seg_options.precreate_next = gc->options_.precreate_next_segment;
  ASSIGN_OR_RETURN(gc->segments_, SegmentManager::Open(seg_options));
  RETURN_IF_ERROR(gc->OpenSegment(gc->options_.prev_tail));
  gc->last_sync_ = std::chrono::steady_clock::now();
  gc->thread_ = std::thread(&GroupCommit::Run, gc.get());
  return gc;
}

GroupCommit::~GroupCommit() { Close().IgnoreError(); }

Status GroupCommit::background_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bg_error_;
}

Status GroupCommit::Enqueue(Request* req) {
  std::unique_lock<std::mutex> lock(mu_);
  if (closed_) return Status::Aborted("WAL is closed");
  if (!bg_error_.ok()) return bg_error_;
  queue_.push_back(req);
  work_cv_.notify_one();
  req->cv.wait(lock, [req] { return req->done; });
  return req->status;
}

Status GroupCommit::Write(Record* record) {
  Request req;
  req.record = record;
  EncodeRecord(*record, &req.encoded);  // on the writer's thread; seq and time patched later
  return Enqueue(&req);
}

Result<uint64_t> GroupCommit::Rotate() {
  Request req;
  req.kind = Request::Kind::kRotate;
  RETURN_IF_ERROR(Enqueue(&req));
  return req.result;
}

Status GroupCommit::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return close_status_;
    closed_ = true;
    shutdown_ = true;
    work_cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return close_status_;
}

Status GroupCommit::Latch(const Status& s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (bg_error_.ok()) {
    bg_error_ = Status::IOError("WAL write failed; writes are refused until restart: " +
                                std::string(s.message()));
  }
  return bg_error_;
}

void GroupCommit::Run() {
  const bool interval = options_.sync_policy == SyncPolicy::kInterval;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (queue_.empty()) {
      if (shutdown_) break;
      // Once an error is latched nothing can be synced any more: wait for work or shutdown.
      if (interval && unsynced_ && bg_error_.ok()) {
        const auto deadline = last_sync_ + options_.sync_interval;
        if (std::chrono::steady_clock::now() < deadline) {
          work_cv_.wait_until(lock, deadline);
          continue;
        }
        lock.unlock();
        SyncNow().IgnoreError();  // latched on failure
        lock.lock();
        continue;
      }
      work_cv_.wait(lock);
      continue;
    }

    std::deque<Request*> group;
    if (queue_.front()->kind == Request::Kind::kRotate) {
      group.push_back(queue_.front());
      queue_.pop_front();
    } else {
      size_t bytes = 0;
      while (
          !queue_.empty() && queue_.front()->kind == Request::Kind::kWrite &&
          (group.empty() || bytes + queue_.front()->encoded.size() <= options_.max_group_bytes)) {
        bytes += queue_.front()->encoded.size();
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    const Status bg = bg_error_;
    lock.unlock();
    const Status s = bg.ok() ? ProcessGroup(group) : bg;
    if (s.ok() && interval && unsynced_ &&
        std::chrono::steady_clock::now() >= last_sync_ + options_.sync_interval) {
      SyncNow().IgnoreError();  // latched on failure; the group is already acknowledged-safe
    }
    lock.lock();
    for (Request* req : group) {
      req->status = s;
      req->done = true;
      req->cv.notify_one();
    }
  }
  const Status bg = bg_error_;
  lock.unlock();
  Status s = bg.ok() ? Seal() : bg;
  segment_.fd.Reset();
  lock.lock();
  close_status_ = s;
}

Status GroupCommit::ProcessGroup(std::deque<Request*>& group) {
  if (group.front()->kind == Request::Kind::kRotate) {
    RETURN_IF_ERROR(SealAndRotate());
    group.front()->result = segment_.number;
    return Status::OK();
  }
  const uint64_t now_us = NowMicros();
  std::vector<Record*> records;
  records.reserve(group.size());
  for (Request* req : group) {
    const uint64_t size = req->encoded.size();
    if (segment_has_records_ &&
        writer_->offset() + LogWriter::MaxEncodedSize(size) + 2 * kHeaderSize > segment_.capacity) {
      RETURN_IF_ERROR(WritePending(/*durable=*/false));
      RETURN_IF_ERROR(SealAndRotate());
    }
    Record* record = req->record;
    record->first_seq = next_seq_;
    record->commit_time_us = now_us;
    PatchRecordHeader(req->encoded.data(), next_seq_, now_us);
    next_seq_ += record->op_count;
    writer_->AddRecord(req->encoded, synced_offset_);
    segment_has_records_ = true;
    records.push_back(record);
  }
  RETURN_IF_ERROR(WritePending(options_.sync_policy == SyncPolicy::kEveryGroup));
  if (options_.on_durable) options_.on_durable(std::span<Record* const>(records));
  acked_next_seq_.store(next_seq_, std::memory_order_release);
  return Status::OK();
}

Status GroupCommit::WritePending(bool durable) {
  if (!writer_->pending().empty()) {
    const Status s =
        sink_->Write(segment_.fd.get(), writer_->pending_offset(), writer_->pending(), durable);
    if (!s.ok()) return Latch(s);
    writer_->ClearPending();
    if (!durable) {
      unsynced_ = true;
      return Status::OK();
    }
  }
  if (!durable) return Status::OK();
  // A durable write covers only its own range: earlier non-durable bytes need an fdatasync.
  if (unsynced_) return SyncNow();
  synced_offset_ = writer_->offset();
  return Status::OK();
}

Status GroupCommit::SyncNow() {
  const Status s = sink_->Sync(segment_.fd.get());
  if (!s.ok()) return Latch(s);
  synced_offset_ = writer_->pending_offset();  // everything written so far
  unsynced_ = false;
  last_sync_ = std::chrono::steady_clock::now();
  return Status::OK();
}

Status GroupCommit::Seal() {
  writer_->AddSeal(synced_offset_);
  RETURN_IF_ERROR(WritePending(/*durable=*/false));
  return SyncNow();
}

Status GroupCommit::SealAndRotate() {
  RETURN_IF_ERROR(Seal());
  return OpenSegment(kPrevSealed);
}

Status GroupCommit::OpenSegment(uint64_t prev_tail) {
  SegmentHeader header;
  header.first_seq = next_seq_;
  header.prev_tail = prev_tail;
  Result<Segment> seg = segments_->CreateSegment(header);
  if (!seg.ok()) return Latch(seg.status());
  segment_ = std::move(seg).value();
  writer_ = std::make_unique<LogWriter>(segment_.number, segment_.data_offset);
  synced_offset_ = segment_.data_offset;
  segment_has_records_ = false;
  unsynced_ = false;
  current_segment_.store(segment_.number, std::memory_order_release);
  return Status::OK();
}

}  // namespace strata::wal
