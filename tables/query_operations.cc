// TableService Query and Scan (DESIGN 5.3-5.5).
//
// Order of checks (dynalite validations/query.js, scan.js, actions/query.js, scan.js,
// validated against AWS): coral constraints -> Select combinations -> mixing of expression and
// legacy parameters -> QueryFilter/ScanFilter and AttributesToGet -> ExclusiveStartKey values
// -> (Scan) Segment/TotalSegments -> expressions -> key conditions -> table -> start key ->
// key paths of projection and filter. Then one page is read at one registered snapshot.

#include <algorithm>

#include "item/api_error.h"
#include "item/item_size.h"
#include "query/evaluate.h"
#include "query/projection.h"
#include "tables/capacity.h"
#include "tables/item_key.h"
#include "tables/key_conditions.h"
#include "tables/operation_checks.h"
#include "tables/paging.h"
#include "tables/secondary_index.h"
#include "tables/table_name.h"
#include "tables/table_service.h"
#include "tables/validation_collector.h"
#include "tables/write_condition.h"
#include "util/coding.h"

namespace strata::tables {
namespace {

constexpr int64_t kMaxTotalSegments = 1000000;

// The filter, projection and Select of one Query or Scan request, prepared once.
// Not movable: bindings point into it and into the request.
struct ReadPlan {
  ReadPlan() = default;
  ReadPlan(const ReadPlan&) = delete;
  ReadPlan& operator=(const ReadPlan&) = delete;

  query::CompiledExpressions compiled;
  query::LegacyExpression legacy_filter;
  query::LegacyExpression legacy_projection;
  const query::ParsedExpression* filter = nullptr;
  const query::Bindings* filter_bindings = nullptr;
  const std::vector<query::Path>* projection = nullptr;
  const query::Bindings* projection_bindings = nullptr;
  bool count_only = false;
};

void CheckSelect(const std::optional<std::string>& v, ValidationCollector* errors) {
  if (v && *v != "SPECIFIC_ATTRIBUTES" && *v != "COUNT" && *v != "ALL_ATTRIBUTES" &&
      *v != "ALL_PROJECTED_ATTRIBUTES") {
    errors->Add(*v, "select",
                EnumConstraint({"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES",
                                "ALL_PROJECTED_ATTRIBUTES"}));
  }
}

void CheckIndexName(const std::optional<std::string>& v, ValidationCollector* errors) {
  if (!v) return;
  if (!MatchesTableNamePattern(*v))
    errors->Add(*v, "indexName", PatternConstraint(kTableNamePattern));
  if (v->size() < 3) errors->Add(*v, "indexName", MinLengthConstraint(3));
  if (v->size() > 255) errors->Add(*v, "indexName", MaxLengthConstraint(255));
}

void CheckConditionalOperator(const std::optional<std::string>& v, ValidationCollector* errors) {
  if (v && *v != "OR" && *v != "AND") {
    errors->Add(*v, "conditionalOperator", EnumConstraint({"OR", "AND"}));
  }
}

void CheckMin(const std::optional<int64_t>& v, std::string_view path, int64_t min,
              ValidationCollector* errors) {
  if (v && *v < min) errors->Add(std::to_string(*v), path, MinValueConstraint(min));
}

void CheckMax(const std::optional<int64_t>& v, std::string_view path, int64_t max,
              ValidationCollector* errors) {
  if (v && *v > max) errors->Add(std::to_string(*v), path, MaxValueConstraint(max));
}

// AWS's rules for Select with ProjectionExpression / AttributesToGet; Query words them as a
// constraint violation ("1 validation error detected: ...").
Status CheckSelectCombination(const ReadPageInput& in, bool is_query) {
  const std::string prefix = is_query ? "1 validation error detected: " : "";
  const bool projection = in.expressions.projection.has_value();
  const bool attributes = in.attributes_to_get.has_value();
  if (!in.select) return Status::OK();
  const std::string& s = *in.select;
  if (s == "ALL_PROJECTED_ATTRIBUTES" && !in.index_name) {
    return item::ValidationError(
        prefix + "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  }
  if (s == "SPECIFIC_ATTRIBUTES") {
    if (!projection && !attributes) {
      return item::ValidationError(prefix +
                                   "Must specify the AttributesToGet or ProjectionExpression when "
                                   "choosing to get SPECIFIC_ATTRIBUTES");
    }
    return Status::OK();
  }
  const std::string what = s == "COUNT" ? "only the Count" : s;
  if (attributes) {
    return item::ValidationError(prefix +
                                 "Cannot specify the AttributesToGet when choosing to get " + what);
  }
  if (projection) {
    return item::ValidationError(
        prefix + "Cannot specify the ProjectionExpression when choosing to get " + what);
  }
  return Status::OK();
}

// A ValidationException of an ExclusiveStartKey value, worded as AWS does (dynalite: some
// messages get no prefix).
Status StartKeyValueError(const Status& s) {
  for (std::string_view bare : {"contains duplicates", "number set", "numeric value",
                                "significant digits", "number with magnitude"}) {
    if (s.message().find(bare) != std::string_view::npos) return s;
  }
  return item::ValidationError("The provided starting key is invalid: " + std::string(s.message()));
}

// Legacy filter and AttributesToGet, in the order of the operation.
Status PrepareLegacy(const ReadPageInput& in, std::string_view filter_param, ReadPlan* plan) {
  auto filter = [&]() -> Status {
    if (!in.filter && !in.conditional_operator) return Status::OK();
    RETURN_IF_ERROR(in.filter_values_status);
    RETURN_IF_ERROR(
        query::ConvertExpected(in.filter.value_or(std::vector<query::ExpectedAttributeInput>{}),
                               in.conditional_operator, filter_param, &plan->legacy_filter));
    if (in.filter) {
      plan->filter = &plan->legacy_filter.expr;
      plan->filter_bindings = &plan->legacy_filter.bindings;
    }
    return Status::OK();
  };
  auto attributes = [&]() -> Status {
    if (!in.attributes_to_get) return Status::OK();
    RETURN_IF_ERROR(query::ConvertAttributesToGet(*in.attributes_to_get, &plan->legacy_projection));
    plan->projection = &plan->legacy_projection.expr.projection;
    plan->projection_bindings = &plan->legacy_projection.bindings;
    return Status::OK();
  };
  if (filter_param == "QueryFilter") {
    RETURN_IF_ERROR(filter());
    return attributes();
  }
  RETURN_IF_ERROR(attributes());
  return filter();
}

Status StartKeyStatus(const ReadPageInput& in) {
  if (!in.exclusive_start_key_status.ok()) return StartKeyValueError(in.exclusive_start_key_status);
  return Status::OK();
}

// Uses the compiled filter and projection expressions, if any.
void UseCompiled(ReadPlan* plan) {
  if (plan->compiled.filter) {
    plan->filter = plan->compiled.filter.get();
    plan->filter_bindings = &plan->compiled.filter_bindings;
  }
  if (plan->compiled.projection) {
    plan->projection = &plan->compiled.projection->projection;
    plan->projection_bindings = &plan->compiled.projection_bindings;
  }
}

void CollectOperandPaths(const query::Operand& o, const query::Bindings& b,
                         std::vector<query::ResolvedPath>* out) {
  if (o.kind == query::Operand::Kind::kPath ||
      (o.kind == query::Operand::Kind::kSize && o.args.empty())) {
    out->push_back(query::ResolvePath(o.path, b));
  }
  for (const query::Operand& a : o.args) CollectOperandPaths(a, b, out);
}

void CollectConditionPaths(const query::Condition& c, const query::Bindings& b,
                           std::vector<query::ResolvedPath>* out) {
  for (const query::Operand& o : c.operands) CollectOperandPaths(o, b, out);
  for (const query::Condition& child : c.children) CollectConditionPaths(child, b, out);
}

// "Key attributes must be scalars; ..." for a nested path under a key attribute.
Status CheckKeyPaths(const TableDef& def, const std::vector<query::ResolvedPath>& paths) {
  for (const KeyAttribute* key : {&def.hash_key, def.range_key ? &*def.range_key : nullptr}) {
    if (key == nullptr) continue;
    for (const query::ResolvedPath& p : paths) {
      if (p.size() > 1 && !p.front().is_index && p.front().name == key->name) {
        return item::ValidationError(
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
            "allowed: Key: " +
            key->name);
      }
    }
  }
  return Status::OK();
}

std::vector<query::ResolvedPath> ProjectionPaths(const ReadPlan& plan) {
  std::vector<query::ResolvedPath> out;
  if (plan.compiled.projection) {
    for (const query::Path& p : plan.compiled.projection->projection) {
      out.push_back(query::ResolvePath(p, plan.compiled.projection_bindings));
    }
  }
  return out;
}

std::vector<query::ResolvedPath> FilterPaths(const ReadPlan& plan) {
  std::vector<query::ResolvedPath> out;
  if (plan.compiled.filter) {
    CollectConditionPaths(plan.compiled.filter->condition, plan.compiled.filter_bindings, &out);
  }
  return out;
}

// Reads one page of `target` and fills *out: the filter and projection applied, counts and
// capacity. With `fetch_from_table` (an LSI read needing attributes it does not project) each
// index entry is replaced by its table item, read at the same snapshot.
Status RunPage(engine::Db* db, const TableHandle& h, const ReadTarget& target,
               const ReadPageInput& in, const ReadPlan& plan, const KeyRange& range, bool forward,
               bool fetch_from_table, ReadPageOutput* out) {
  out->count_only = plan.count_only;
  PageStats stats;
  size_t table_bytes = 0;
  Status fetch_status;
  {
    std::shared_lock<std::shared_mutex> drop_lock(h.runtime->drop_mu);
    if (h.runtime->dropped) return TableGone();
    const std::shared_ptr<const engine::Snapshot> snapshot = db->GetSnapshot();
    engine::ReadOptions options;
    options.snapshot = snapshot->sequence();
    RETURN_IF_ERROR(ReadPage(
        db, options, target, range, forward, in.limit.value_or(0),
        [&](item::Item* item) {
          if (fetch_from_table && fetch_status.ok()) {
            bool found = false;
            item::Item full;
            fetch_status = ReadItem(db, options, TargetKey(ReadTarget{h.def.get(), nullptr}, *item),
                                    &found, &full);
            if (!found) return;  // unreachable: index entries change with their items
            table_bytes += item::ItemSize(full);
            *item = std::move(full);
          }
          if (plan.filter != nullptr &&
              !query::EvaluateCondition(*plan.filter, *plan.filter_bindings, item)) {
            return;
          }
          ++out->count;
          if (plan.count_only) return;
          if (plan.projection != nullptr) {
            out->items.push_back(
                query::Project(*plan.projection, *plan.projection_bindings, *item));
          } else {
            out->items.push_back(std::move(*item));
          }
        },
        &stats));
  }
  RETURN_IF_ERROR(fetch_status);
  out->scanned_count = stats.scanned;
  out->last_evaluated_key = std::move(stats.last_evaluated_key);
  out->capacity_detail = DetailOf(in.return_consumed_capacity);
  out->consumed.table_name = h.def->name;
  const bool consistent = in.consistent_read.value_or(false);
  if (target.index == nullptr) {
    out->consumed.half_units = ReadHalfUnits(stats.bytes, consistent);
  } else {
    // Index reads are charged to the index; items fetched from the table to the table.
    out->consumed.half_units = fetch_from_table ? ReadHalfUnits(table_bytes, consistent) : 0;
    AddIndexUnits(&out->consumed, target.index->name, target.index->global,
                  ReadHalfUnits(stats.bytes, consistent));
  }
  return Status::OK();
}

// The index a Query or Scan names, with AWS's checks (dynalite actions/query.js, scan.js).
Result<ReadTarget> ResolveTarget(const TableDef& def, const ReadPageInput& in) {
  ReadTarget target{&def, nullptr};
  if (!in.index_name) return target;
  target.index = def.FindIndex(*in.index_name);
  if (target.index == nullptr) {
    return item::ValidationError("The table does not have the specified index: " + *in.index_name);
  }
  if (target.index->global && in.consistent_read.value_or(false)) {
    return item::ValidationError("Consistent reads are not supported on global secondary indexes");
  }
  if (target.index->status == IndexStatus::kCreating) {
    return item::ValidationError("Cannot read from backfilling global secondary index: " +
                                 *in.index_name);
  }
  return target;
}

// The attribute names an ExclusiveStartKey of `target` must hold: the table key, then the
// index key attributes not already in it.
std::vector<const KeyAttribute*> StartKeyAttributes(const ReadTarget& target) {
  const TableDef& def = *target.table;
  std::vector<const KeyAttribute*> keys{&def.hash_key};
  if (def.range_key) keys.push_back(&*def.range_key);
  if (target.index != nullptr) {
    for (const KeyAttribute* k : {&target.hash_key(), target.range_key()}) {
      if (k == nullptr) continue;
      if (std::none_of(keys.begin(), keys.end(),
                       [&](const KeyAttribute* e) { return e->name == k->name; })) {
        keys.push_back(k);
      }
    }
  }
  return keys;
}

// Validates an index ExclusiveStartKey's index key attributes as AWS does: each present
// ("The provided starting key is invalid") with its type and a valid value.
Status CheckIndexStartKey(const ReadTarget& target, const item::Item& start_key) {
  for (const KeyAttribute* k : {&target.hash_key(), target.range_key()}) {
    if (k == nullptr) continue;
    const item::AttributeValue* v = item::FindAttribute(start_key, k->name);
    if (v == nullptr) return item::ValidationError("The provided starting key is invalid");
    if (v->type() != k->type) {
      return item::ValidationError("The provided key element does not match the schema");
    }
  }
  return Status::OK();
}

// The table key of an ExclusiveStartKey validated as a Key ("The provided starting key is
// invalid: ..."), then the engine key of the start position in the target.
Result<std::string> StartPosition(const ReadTarget& target, const item::Item& start_key) {
  auto key = ItemKeyFromKey(*target.table, KeyOf(ReadTarget{target.table, nullptr}, start_key));
  if (!key.ok()) {
    return item::ValidationError("The provided starting key is invalid: " +
                                 std::string(key.status().message()));
  }
  if (target.index == nullptr) return key;
  if (!InIndex(*target.index, start_key)) {
    return item::ValidationError("The provided starting key is invalid");
  }
  return TargetKey(target, start_key);
}

// True when an LSI read needs attributes its entries do not hold: Select=ALL_ATTRIBUTES, or a
// projection or filter naming an attribute it does not project.
bool NeedsTableItems(const ReadTarget& target, const ReadPageInput& in,
                     const std::vector<query::ResolvedPath>& paths) {
  const IndexDef* index = target.index;
  if (index == nullptr || index->global || index->projection == ProjectionType::kAll) {
    return false;
  }
  if (in.select.value_or("") == "ALL_ATTRIBUTES") return true;
  for (const query::ResolvedPath& p : paths) {
    if (!p.empty() && !p.front().is_index &&
        !ProjectsAttribute(*target.table, *index, p.front().name)) {
      return true;
    }
  }
  if (in.attributes_to_get) {
    for (const std::string& a : *in.attributes_to_get) {
      if (!ProjectsAttribute(*target.table, *index, a)) return true;
    }
  }
  if (in.filter) {
    for (const query::ExpectedAttributeInput& e : *in.filter) {
      if (!ProjectsAttribute(*target.table, *index, e.name)) return true;
    }
  }
  return false;
}

// A GSI returns only what it projects: naming another attribute in ProjectionExpression or
// AttributesToGet is "Global secondary index <i> does not project [a, b]".
Status CheckGsiProjection(const ReadTarget& target, const ReadPageInput& in,
                          const std::vector<query::ResolvedPath>& projection) {
  const IndexDef* index = target.index;
  if (index == nullptr || !index->global || index->projection == ProjectionType::kAll) {
    return Status::OK();
  }
  std::vector<std::string> missing;
  auto check = [&](std::string_view name) {
    if (ProjectsAttribute(*target.table, *index, name) ||
        std::find(missing.begin(), missing.end(), name) != missing.end()) {
      return;
    }
    missing.emplace_back(name);
  };
  for (const query::ResolvedPath& p : projection) {
    if (!p.empty() && !p.front().is_index) check(p.front().name);
  }
  if (in.attributes_to_get) {
    for (const std::string& a : *in.attributes_to_get) check(a);
  }
  if (missing.empty()) return Status::OK();
  std::string list;
  for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
  return item::ValidationError(
      "One or more parameter values were invalid: Global secondary index " + index->name +
      " does not project [" + list + "]");
}

// "Select type ALL_ATTRIBUTES is not supported for global secondary index ..." for a GSI
// that does not project everything.
Status CheckSelectOnIndex(const ReadTarget& target, const ReadPageInput& in) {
  const IndexDef* index = target.index;
  if (index != nullptr && index->global && index->projection != ProjectionType::kAll &&
      in.select.value_or("") == "ALL_ATTRIBUTES") {
    return item::ValidationError(
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
        "for global secondary index " +
        index->name + " because its projection type is not ALL");
  }
  return Status::OK();
}

}  // namespace

Result<ReadPageOutput> TableService::Query(const Scope& scope, const QueryInput& in) {
  ValidationCollector errors;
  CheckSelect(in.select, &errors);
  CheckIndexName(in.index_name, &errors);
  CheckReturnConsumedCapacity(in.return_consumed_capacity, &errors);
  if (in.filter)
    AddLegacyViolations(query::ExpectedConstraintViolations(*in.filter, "QueryFilter"), &errors);
  CheckTableNameOrArn(in.table_name, &errors);
  CheckConditionalOperator(in.conditional_operator, &errors);
  CheckAttributesToGet(in.attributes_to_get, &errors);
  CheckMin(in.limit, "limit", 1, &errors);
  if (in.key_conditions) {
    AddLegacyViolations(query::ExpectedConstraintViolations(*in.key_conditions, "KeyConditions"),
                        &errors);
  }
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(CheckSelectCombination(in, /*is_query=*/true));
  {
    std::vector<std::string_view> legacy;
    if (in.attributes_to_get) legacy.push_back("AttributesToGet");
    if (in.filter) legacy.push_back("QueryFilter");
    if (in.conditional_operator) legacy.push_back("ConditionalOperator");
    if (in.key_conditions) legacy.push_back("KeyConditions");
    RETURN_IF_ERROR(query::CheckExpressionParams(
        in.expressions, {"ProjectionExpression", "FilterExpression", "KeyConditionExpression"},
        legacy));
  }
  ReadPlan plan;
  RETURN_IF_ERROR(PrepareLegacy(in, "QueryFilter", &plan));
  RETURN_IF_ERROR(StartKeyStatus(in));
  if (!in.key_conditions && !in.expressions.key_condition) {
    return item::ValidationError(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }
  RETURN_IF_ERROR(query::CompileExpressions(in.expressions, &plan.compiled));
  UseCompiled(&plan);
  std::vector<KeyConditionTerm> terms;
  if (plan.compiled.key_condition) {
    RETURN_IF_ERROR(KeyTermsFromExpression(*plan.compiled.key_condition,
                                           plan.compiled.key_condition_bindings, &terms));
  } else {
    RETURN_IF_ERROR(in.key_conditions_status);
    RETURN_IF_ERROR(KeyTermsFromLegacy(*in.key_conditions, &terms));
  }
  if (terms.size() != 1 && terms.size() != 2) {
    return item::ValidationError("Conditions can be of length 1 or 2 only");
  }
  plan.count_only = in.select.value_or("") == "COUNT";

  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *in.table_name, /*name_in_message=*/false));
  const TableDef& def = *h.def;
  ASSIGN_OR_RETURN(const ReadTarget target, ResolveTarget(def, in));
  if (in.exclusive_start_key) {
    const std::vector<const KeyAttribute*> names = StartKeyAttributes(target);
    if (in.exclusive_start_key->size() != names.size()) {
      return item::ValidationError(
          target.index ? "The provided starting key is invalid"
                       : "Exclusive Start Key must have same size as table's key schema");
    }
    if (target.index != nullptr)
      RETURN_IF_ERROR(CheckIndexStartKey(target, *in.exclusive_start_key));
    for (const KeyAttribute* key : names) {
      const item::AttributeValue* v = item::FindAttribute(*in.exclusive_start_key, key->name);
      if (v == nullptr) return item::ValidationError("The provided starting key is invalid");
      if (v->type() != key->type) {
        return item::ValidationError("The provided key element does not match the schema");
      }
    }
  }
  QueryPlan qp;
  RETURN_IF_ERROR(PlanQuery(target, terms, &qp));
  const bool forward = in.scan_index_forward.value_or(true);
  KeyRange range = qp.range;
  if (in.exclusive_start_key) {
    ASSIGN_OR_RETURN(const std::string key, StartPosition(target, *in.exclusive_start_key));
    const item::AttributeValue* hash =
        item::FindAttribute(*in.exclusive_start_key, target.hash_key().name);
    const bool same_partition = *hash == *qp.hash_value;
    if (qp.range_term == nullptr) {
      if (!same_partition) {
        return item::ValidationError(
            "The provided starting key is outside query boundaries based on provided conditions");
      }
    } else {
      const item::AttributeValue* sk =
          item::FindAttribute(*in.exclusive_start_key, target.range_key()->name);
      if (!RangeTermMatches(*qp.range_term, *sk)) {
        return item::ValidationError(
            "The provided starting key does not match the range key predicate");
      }
      if (!same_partition) {
        return item::ValidationError(
            "The query can return at most one row and cannot be restarted");
      }
    }
    if (forward) {
      range.start = std::max(range.start, key + '\0');
    } else {
      range.end = std::min(range.end, key);
    }
  }
  RETURN_IF_ERROR(CheckKeyPaths(def, ProjectionPaths(plan)));
  if (in.filter || plan.compiled.filter) {
    const bool legacy = in.filter.has_value();
    std::vector<std::string> heads;
    if (legacy) {
      for (const query::ExpectedAttributeInput& e : *in.filter) heads.push_back(e.name);
    } else {
      for (const query::ResolvedPath& p : FilterPaths(plan)) {
        if (!p.empty() && !p.front().is_index) heads.emplace_back(p.front().name);
      }
    }
    for (const KeyAttribute* key : {&target.hash_key(), target.range_key()}) {
      if (key == nullptr) continue;
      if (std::find(heads.begin(), heads.end(), key->name) != heads.end()) {
        return item::ValidationError(
            std::string(legacy ? "QueryFilter" : "Filter Expression") +
            " can only contain non-primary key attributes: Primary key attribute: " + key->name);
      }
    }
  }
  RETURN_IF_ERROR(CheckSelectOnIndex(target, in));
  RETURN_IF_ERROR(CheckGsiProjection(target, in, ProjectionPaths(plan)));
  RETURN_IF_ERROR(CheckKeyPaths(def, FilterPaths(plan)));

  std::vector<query::ResolvedPath> paths = ProjectionPaths(plan);
  for (query::ResolvedPath& p : FilterPaths(plan)) paths.push_back(std::move(p));
  ReadPageOutput out;
  RETURN_IF_ERROR(
      RunPage(db_, h, target, in, plan, range, forward, NeedsTableItems(target, in, paths), &out));
  return out;
}

Result<ReadPageOutput> TableService::Scan(const Scope& scope, const ScanInput& in) {
  ValidationCollector errors;
  CheckSelect(in.select, &errors);
  CheckIndexName(in.index_name, &errors);
  CheckMin(in.total_segments, "totalSegments", 1, &errors);
  CheckMax(in.total_segments, "totalSegments", kMaxTotalSegments, &errors);
  CheckReturnConsumedCapacity(in.return_consumed_capacity, &errors);
  CheckTableNameOrArn(in.table_name, &errors);
  CheckConditionalOperator(in.conditional_operator, &errors);
  if (in.filter)
    AddLegacyViolations(query::ExpectedConstraintViolations(*in.filter, "ScanFilter"), &errors);
  CheckMin(in.segment, "segment", 0, &errors);
  CheckMax(in.segment, "segment", kMaxTotalSegments - 1, &errors);
  CheckMin(in.limit, "limit", 1, &errors);
  CheckAttributesToGet(in.attributes_to_get, &errors);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(CheckSelectCombination(in, /*is_query=*/false));
  {
    std::vector<std::string_view> legacy;
    if (in.attributes_to_get) legacy.push_back("AttributesToGet");
    if (in.filter) legacy.push_back("ScanFilter");
    if (in.conditional_operator) legacy.push_back("ConditionalOperator");
    RETURN_IF_ERROR(query::CheckExpressionParams(
        in.expressions, {"ProjectionExpression", "FilterExpression"}, legacy));
  }
  ReadPlan plan;
  RETURN_IF_ERROR(PrepareLegacy(in, "ScanFilter", &plan));
  RETURN_IF_ERROR(StartKeyStatus(in));
  if (in.segment && !in.total_segments) {
    return item::ValidationError(
        "The TotalSegments parameter is required but was not present in the request when Segment "
        "parameter is present");
  }
  if (in.total_segments && !in.segment) {
    return item::ValidationError(
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present");
  }
  if (in.segment && *in.segment >= *in.total_segments) {
    return item::ValidationError(
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        "Segment: " +
        std::to_string(*in.segment) +
        " is not less than TotalSegments: " + std::to_string(*in.total_segments));
  }
  RETURN_IF_ERROR(query::CompileExpressions(in.expressions, &plan.compiled));
  UseCompiled(&plan);
  plan.count_only = in.select.value_or("") == "COUNT";

  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *in.table_name, /*name_in_message=*/false));
  const TableDef& def = *h.def;
  ASSIGN_OR_RETURN(const ReadTarget target, ResolveTarget(def, in));
  const uint64_t total = static_cast<uint64_t>(in.total_segments.value_or(1));
  const uint64_t segment = static_cast<uint64_t>(in.segment.value_or(0));
  KeyRange range = SegmentRange(def.table_id, segment, total, target.index_id());
  if (in.exclusive_start_key) {
    if (in.exclusive_start_key->size() != StartKeyAttributes(target).size()) {
      return item::ValidationError(
          target.index ? "The provided starting key is invalid"
                       : "The provided starting key is invalid: The provided key element does "
                         "not match the schema");
    }
    if (target.index != nullptr)
      RETURN_IF_ERROR(CheckIndexStartKey(target, *in.exclusive_start_key));
    RETURN_IF_ERROR(CheckSelectOnIndex(target, in));
    ASSIGN_OR_RETURN(const std::string key, StartPosition(target, *in.exclusive_start_key));
    if (!range.Contains(key)) {
      return item::ValidationError(
          "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
          "ExclusiveStartKey with correct Segment. TotalSegments: " +
          std::to_string(total) + " Segment: " + std::to_string(segment));
    }
    range.start = key + '\0';
  }
  RETURN_IF_ERROR(CheckSelectOnIndex(target, in));
  RETURN_IF_ERROR(CheckGsiProjection(target, in, ProjectionPaths(plan)));
  RETURN_IF_ERROR(CheckKeyPaths(def, ProjectionPaths(plan)));
  RETURN_IF_ERROR(CheckKeyPaths(def, FilterPaths(plan)));

  std::vector<query::ResolvedPath> paths = ProjectionPaths(plan);
  for (query::ResolvedPath& p : FilterPaths(plan)) paths.push_back(std::move(p));
  ReadPageOutput out;
  RETURN_IF_ERROR(RunPage(db_, h, target, in, plan, range, /*forward=*/true,
                          NeedsTableItems(target, in, paths), &out));
  return out;
}

}  // namespace strata::tables
