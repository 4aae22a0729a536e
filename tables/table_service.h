#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/db.h"
#include "tables/catalog.h"
#include "tables/idempotency.h"
#include "tables/index_writes.h"
#include "tables/query_requests.h"
#include "tables/requests.h"
#include "tables/secondary_index.h"
#include "tables/transaction_claims.h"
#include "tables/transaction_requests.h"
#include "tables/validation_collector.h"
#include "tables/write_condition.h"
#include "util/result.h"

namespace strata::tables {

// TableService is DynamoDB's table and item semantics on the engine: the control plane
// (CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable) over the catalog in table
// id 0, and the item operations (PutItem, GetItem, UpdateItem, DeleteItem, BatchWriteItem,
// BatchGetItem)
// over item keys item::EncodeItemKey(table_id, pk, sk) holding item::EncodeItem values.
//
// Every method validates its input with AWS's messages and order of checks and answers
// Statuses carrying item::ApiError subcodes. Writes are read-modify-write under a striped
// per-item lock, so returned old images, statistics and capacity are exact. The items of the
// TransactWriteItems in flight are claimed (TransactionClaims): a write or transaction that
// meets one fails with AWS's TransactionConflict errors instead of waiting.
//
// Thread-safety: every method may be called concurrently after Open(). Lifecycle: construct
// with an open Db that outlives the service, call Open() once, then serve.
class TableService {
 public:
  explicit TableService(engine::Db* db);
  ~TableService();

  TableService(const TableService&) = delete;
  TableService& operator=(const TableService&) = delete;

  // Loads the catalog, finishes interrupted table drops and recomputes ItemCount and
  // TableSizeBytes by scanning each table.
  Status Open();

  Result<TableDescription> CreateTable(const Scope& scope, const CreateTableInput& input);
  Result<TableDescription> DescribeTable(const Scope& scope,
                                         const std::optional<std::string>& table_name);
  Result<ListTablesOutput> ListTables(const Scope& scope, const ListTablesInput& input);
  // Answers the description with TableStatus DELETING; the table and its items are gone
  // when it returns.
  Result<TableDescription> DeleteTable(const Scope& scope,
                                       const std::optional<std::string>& table_name);
  Result<TableDescription> UpdateTable(const Scope& scope, const UpdateTableInput& input);

  // Conditional writes: when the condition fails and ReturnValuesOnConditionCheckFailure is
  // ALL_OLD, the stored item goes to *failed_item (if given) beside the
  // ConditionalCheckFailedException.
  Result<ItemOutput> PutItem(const Scope& scope, const PutItemInput& input,
                             std::optional<item::Item>* failed_item = nullptr);
  Result<ItemOutput> GetItem(const Scope& scope, const GetItemInput& input);
  // Creates the item from its key when absent, as AWS does.
  Result<ItemOutput> UpdateItem(const Scope& scope, const UpdateItemInput& input,
                                std::optional<item::Item>* failed_item = nullptr);
  Result<ItemOutput> DeleteItem(const Scope& scope, const DeleteItemInput& input,
                                std::optional<item::Item>* failed_item = nullptr);

  // BatchWriteItem (batch_operations.cc): every request is validated (shapes, values, sizes,
  // tables, keys, duplicates) before anything is written; then all puts and deletes are
  // applied as one engine batch under the item locks of every key, taken in address order.
  // A request whose item a TransactWriteItems in flight holds goes to UnprocessedItems.
  Result<BatchWriteItemOutput> BatchWriteItem(const Scope& scope, const BatchWriteItemInput& input);
  // BatchGetItem: validates every key first, then reads them all at one engine snapshot.
  Result<BatchGetItemOutput> BatchGetItem(const Scope& scope, const BatchGetItemInput& input);

  // Query and Scan (query_operations.cc, DESIGN 5.3-5.5): one page of items at one registered
  // engine snapshot; Limit counts items evaluated and the page ends after 1 MB of
  // item::ItemSize, both before the filter.
  Result<ReadPageOutput> Query(const Scope& scope, const QueryInput& input);
  Result<ReadPageOutput> Scan(const Scope& scope, const ScanInput& input);

  // TransactWriteItems (transaction_operations.cc, DESIGN 2.1 and 5.6): validates every action,
  // claims all of its items (or cancels with TransactionConflict reasons when another
  // transaction holds one), then under the item locks of all of them (canonical order)
  // evaluates every condition and commits every mutation, with the ClientRequestToken record,
  // as one engine batch. On TransactionCanceledException *reasons holds one entry per action,
  // in request order.
  Result<TransactWriteItemsOutput> TransactWriteItems(const Scope& scope,
                                                      const TransactWriteItemsInput& input,
                                                      std::vector<CancellationReason>* reasons);
  // TransactGetItems: every Get at one registered engine snapshot; cancelled with
  // TransactionConflict reasons (in *reasons) when a TransactWriteItems in flight holds one of
  // the items, as AWS does.
  Result<TransactGetItemsOutput> TransactGetItems(const Scope& scope,
                                                  const TransactGetItemsInput& input,
                                                  std::vector<CancellationReason>* reasons);

  // Tests: the claims of the transactions in flight, and the engine key of `key` in a table,
  // to stage a transaction in flight deterministically.
  TransactionClaims* claims_for_testing() { return &claims_; }
  Result<std::string> ItemKeyForTesting(const Scope& scope, const std::string& table_name,
                                        const item::Item& key) const;

 private:
  static constexpr size_t kLockStripes = 1024;

  // The table named by `name` (a name or a table ARN) in scope; ResourceNotFoundException
  // with `message` when absent.
  Result<TableHandle> FindTable(const Scope& scope, const std::string& name,
                                bool name_in_message) const;
  std::mutex& StripeFor(std::string_view item_key);

  // One read-modify-write of an item, as MutateItem() saw and did it.
  struct ItemChange {
    bool found = false;                    // an item was stored
    item::Item old_item;                   // the stored item (when found)
    item::Item scratch;                    // room for the new image
    const item::Item* new_item = nullptr;  // the image written; nullptr = deleted / nothing
    size_t old_size = 0;
    size_t new_size = 0;
    ImageOrigin origin = ImageOrigin::kItem;  // set by the caller: wording of index key errors
    IndexWrites index_writes;                 // the index side of the write
  };
  // Computes the new image from the stored one (nullptr = absent): a pointer to it (it may
  // use the scratch item), or nullptr to delete.
  using ApplyFunction =
      std::function<Result<const item::Item*>(const item::Item* current, item::Item* scratch)>;
  // Under the table's drop lock and the item's lock: reads the stored item, checks
  // `condition`, computes the new image with `apply`, checks its size and writes it as one
  // engine batch, keeping the table statistics exact (DESIGN 2.1).
  Status MutateItem(const TableHandle& h, const std::string& key, const WriteCondition& condition,
                    const WriteConditionInput& condition_input,
                    std::optional<item::Item>* failed_item, const ApplyFunction& apply,
                    ItemChange* change);
  // Deletes every key of the table (items and index entries), in batches.
  Status PurgeTableItems(uint32_t table_id);
  // Deletes every key with `prefix`, in batches.
  Status PurgePrefix(const std::string& prefix);

  // GlobalSecondaryIndexUpdates (index_updates.cc). ApplyIndexUpdates validates them against
  // the definition and changes *def; once the catalog holds it, AfterIndexReplace starts the
  // backfills of created indexes and purges deleted ones.
  struct IndexChangeAfterReplace {
    uint8_t index_id;
    bool created;
  };
  Status ApplyIndexUpdates(const UpdateTableInput& in, TableDef* def,
                           std::vector<IndexChangeAfterReplace>* after);
  void AfterIndexReplace(const TableHandle& h, const std::vector<IndexChangeAfterReplace>& changes);
  // Indexes a CREATING GSI's existing items in the background, then makes it ACTIVE.
  void StartBackfill(const TableHandle& h, uint8_t index_id);
  // `epoch` is the index id's TableRuntime::index_epochs value when the backfill started.
  Status Backfill(const TableHandle& h, uint8_t index_id, uint32_t epoch);
  // Sets an index's ItemCount and IndexSizeBytes from its entries.
  Status CountIndex(const TableHandle& h, uint8_t index_id);
  // At Open(): index statistics, interrupted backfills restarted, orphaned entries purged.
  Status OpenIndexes(const TableHandle& h);
  // Stops and joins the backfill threads (destructor).
  void StopBackfills();
  Status RecomputeStats(const TableHandle& handle);
  // The entries under `prefix` (items or index entries) and the sum of their ItemSizes.
  Status CountEntries(std::string_view prefix, int64_t* count, int64_t* bytes);

  // Deletes a batch of expired ClientRequestToken records (transaction_operations.cc).
  void CleanUpTokens();

  engine::Db* const db_;
  Catalog catalog_;
  std::unique_ptr<std::array<std::mutex, kLockStripes>> stripes_;
  IdempotencyStore tokens_;  // ClientRequestTokens of TransactWriteItems

  std::mutex backfill_mu_;
  std::vector<std::thread> backfills_;  // guarded by backfill_mu_
  std::atomic<bool> stopping_{false};
  TransactionClaims claims_;  // the items of the TransactWriteItems in flight
};

// Constraint violations of UpdateTable's AttributeDefinitions and GlobalSecondaryIndexUpdates
// (index_updates.cc).
void CheckIndexUpdateShapes(const UpdateTableInput& in, ValidationCollector* errors);

}  // namespace strata::tables
