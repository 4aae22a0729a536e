#include "api/query_handlers.h"

#include "api/dynamodb_request_fields.h"
#include "api/expression_fields.h"
#include "api/service_handlers.h"
#include "item/json.h"

namespace strata::api {
namespace {

using simdjson::dom::object;

// The parameters Query and Scan share.
Status DecodeReadPage(object request, tables::ReadPageInput* in) {
  RETURN_IF_ERROR(GetString(request, "TableName", &in->table_name));
  RETURN_IF_ERROR(GetString(request, "IndexName", &in->index_name));
  RETURN_IF_ERROR(GetString(request, "Select", &in->select));
  RETURN_IF_ERROR(GetInteger(request, "Limit", "Integer", &in->limit));
  RETURN_IF_ERROR(GetBool(request, "ConsistentRead", &in->consistent_read));
  RETURN_IF_ERROR(GetString(request, "ReturnConsumedCapacity", &in->return_consumed_capacity));
  RETURN_IF_ERROR(DecodeAttributesToGet(request, &in->attributes_to_get));
  RETURN_IF_ERROR(GetString(request, "ConditionalOperator", &in->conditional_operator));
  RETURN_IF_ERROR(GetAttributeMap(request, "ExclusiveStartKey", &in->exclusive_start_key,
                                  &in->exclusive_start_key_status));
  return DecodeExpressionParams(request, &in->expressions);
}

void WritePage(const tables::ReadPageOutput& out, std::string* response) {
  item::JsonWriter w(response);
  w.StartObject();
  w.Key("Count");
  w.Int(out.count);
  if (!out.count_only) {
    w.Key("Items");
    w.StartArray();
    for (const item::Item& i : out.items) w.AttributeMap(i);
    w.EndArray();
  }
  w.Key("ScannedCount");
  w.Int(out.scanned_count);
  if (out.last_evaluated_key) {
    w.Key("LastEvaluatedKey");
    w.AttributeMap(*out.last_evaluated_key);
  }
  if (out.capacity_detail != tables::CapacityDetail::kNone) {
    w.Key("ConsumedCapacity");
    WriteConsumedCapacity(&w, out.capacity_detail, out.consumed);
  }
  w.EndObject();
}

Status Query(tables::TableService* service, const RequestContext& ctx, object request,
             std::string* response) {
  tables::QueryInput in;
  RETURN_IF_ERROR(DecodeReadPage(request, &in));
  RETURN_IF_ERROR(GetBool(request, "ScanIndexForward", &in.scan_index_forward));
  RETURN_IF_ERROR(DecodeExpected(request, "QueryFilter", &in.filter, &in.filter_values_status));
  RETURN_IF_ERROR(
      DecodeExpected(request, "KeyConditions", &in.key_conditions, &in.key_conditions_status));
  ASSIGN_OR_RETURN(tables::ReadPageOutput out,
                   service->Query(tables::Scope{ctx.account_id, ctx.region}, in));
  WritePage(out, response);
  return Status::OK();
}

Status Scan(tables::TableService* service, const RequestContext& ctx, object request,
            std::string* response) {
  tables::ScanInput in;
  RETURN_IF_ERROR(DecodeReadPage(request, &in));
  RETURN_IF_ERROR(GetInteger(request, "Segment", "Integer", &in.segment));
  RETURN_IF_ERROR(GetInteger(request, "TotalSegments", "Integer", &in.total_segments));
  RETURN_IF_ERROR(DecodeExpected(request, "ScanFilter", &in.filter, &in.filter_values_status));
  ASSIGN_OR_RETURN(tables::ReadPageOutput out,
                   service->Scan(tables::Scope{ctx.account_id, ctx.region}, in));
  WritePage(out, response);
  return Status::OK();
}

}  // namespace

void RegisterQueryHandlers(Router* router, tables::TableService* service) {
  RegisterServiceOp(router, service, "Query", Query);
  RegisterServiceOp(router, service, "Scan", Scan);
}

}  // namespace strata::api
