#include "wal/group_commit.h"

#include <vector>

#include "util/clock.h"

namespace strata::wal {

struct GroupCommit::Request {
  enum class Kind { kWrite, kRotate, kSync };
  Kind kind = Kind::kWrite;
  Record* record = nullptr;
  std::string encoded;
  Status status;
  uint64_t result = 0;
  bool done = false;
  std::condition_variable cv;
};

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
  // With a zero interval every group is synced by its leader: no timer needed.
  if (gc->options_.sync_policy == SyncPolicy::kInterval && gc->options_.sync_interval.count() > 0) {
    gc->sync_thread_ = std::thread(&GroupCommit::SyncLoop, gc.get());
  }
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
  // A leader that takes this request in its group marks it done; otherwise it reaches the
  // front of the queue and leads the next group itself.
  req->cv.wait(lock, [&] { return req->done || queue_.front() == req; });
  if (req->done) return req->status;

  // The leader: the requests from the front, which stay queued (so that newcomers wait behind
  // them) until they are acknowledged.
  std::vector<Request*> group;
  if (req->kind != Request::Kind::kWrite) {
    group.push_back(req);
  } else {
    size_t bytes = 0;
    for (Request* r : queue_) {
      if (r->kind != Request::Kind::kWrite ||
          (!group.empty() && bytes + r->encoded.size() > options_.max_group_bytes)) {
        break;
      }
      bytes += r->encoded.size();
      group.push_back(r);
    }
  }
  const Status bg = bg_error_;
  lock.unlock();
  const Status s = bg.ok() ? ProcessGroup(group) : bg;
  lock.lock();
  for (Request* r : group) {
    queue_.pop_front();  // the group is the front of the queue, in order
    r->status = s;
    r->done = true;
    if (r != req) r->cv.notify_one();
  }
  if (!queue_.empty()) {
    queue_.front()->cv.notify_one();  // the next leader
  } else {
    idle_cv_.notify_all();
  }
  return s;
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
  std::unique_lock<std::mutex> lock(mu_);
  if (closed_) {
    idle_cv_.wait(lock, [&] { return close_done_; });
    return close_status_;
  }
  closed_ = true;  // new requests are refused; the queued ones are still written
  sync_cv_.notify_all();
  lock.unlock();
  if (sync_thread_.joinable()) sync_thread_.join();
  lock.lock();
  idle_cv_.wait(lock, [&] { return queue_.empty(); });
  const Status bg = bg_error_;
  lock.unlock();
  // No leader is left and none can come: the segment state is ours (none when Open failed).
  Status s = !bg.ok() ? bg : writer_ != nullptr ? Seal() : Status::OK();
  segment_.fd.Reset();
  lock.lock();
  close_status_ = s;
  close_done_ = true;
  idle_cv_.notify_all();
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

void GroupCommit::SyncLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!closed_) {
    sync_cv_.wait_for(lock, options_.sync_interval, [&] { return closed_; });
    if (closed_) break;
    if (!bg_error_.ok()) continue;  // nothing can be synced any more: wait for Close
    lock.unlock();
    // Queued like a write, so that it runs between two groups; a no-op when all is synced.
    Request req;
    req.kind = Request::Kind::kSync;
    Enqueue(&req).IgnoreError();  // latched on failure
    lock.lock();
  }
}

Status GroupCommit::ProcessGroup(const std::vector<Request*>& group) {
  if (group.front()->kind == Request::Kind::kRotate) {
    RETURN_IF_ERROR(SealAndRotate());
    group.front()->result = segment_.number;
    return Status::OK();
  }
  if (group.front()->kind == Request::Kind::kSync) {
    return unsynced_ ? SyncNow() : Status::OK();
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
  if (options_.sync_policy == SyncPolicy::kInterval && unsynced_ &&
      std::chrono::steady_clock::now() >= last_sync_ + options_.sync_interval) {
    // Due under load (the timer's request may wait behind groups): sync now. A failure is
    // latched for later writes; this group is in the file already.
    SyncNow().IgnoreError();
  }
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
