#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace strata::query {

// The abstract syntax of DynamoDB expressions (condition, key condition, filter, update,
// projection), as the parser produces it. Placeholders are interned: `#name` and `:value`
// tokens are stored once per expression, in order of first appearance, and nodes refer to them
// by index, so that a parsed expression is immutable, cacheable by its text and shared between
// requests; a per-request Bindings (query/bindings.h) maps the indexes to the request's
// ExpressionAttributeNames / ExpressionAttributeValues.
//
// Thread-safety: value types; a ParsedExpression is immutable once built.

// Which request parameter an expression came from; its name prefixes every error message
// ("Invalid UpdateExpression: ...").
enum class ExpressionKind : uint8_t {
  kCondition,     // ConditionExpression
  kKeyCondition,  // KeyConditionExpression
  kFilter,        // FilterExpression
  kUpdate,        // UpdateExpression
  kProjection,    // ProjectionExpression
};

// "ConditionExpression", "KeyConditionExpression", "FilterExpression", "UpdateExpression",
// "ProjectionExpression".
const char* ExpressionKindName(ExpressionKind kind);

// One step of a document path: `name`, `#placeholder` or `[index]`.
struct PathElement {
  enum class Kind : uint8_t { kName, kNamePlaceholder, kIndex };
  Kind kind = Kind::kName;
  std::string name;    // kName: the attribute name as written
  uint32_t index = 0;  // kNamePlaceholder: index into ParsedExpression::name_placeholders;
                       // kIndex: the list index
};

// A document path `a.#b[3].c`. The first element is never kIndex.
struct Path {
  std::vector<PathElement> elements;
};

// A value-producing operand.
struct Operand {
  enum class Kind : uint8_t {
    kPath,         // path
    kValue,        // value: index into ParsedExpression::value_placeholders
    kSize,         // size(path)                       (conditions only); when args is not
                   // empty, size(args[0]) of a constant (`path` unused)
    kPlus,         // args[0] + args[1]                (update SET only)
    kMinus,        // args[0] - args[1]                (update SET only)
    kIfNotExists,  // if_not_exists(args[0], args[1])  (update SET only; args[0] is a kPath)
    kListAppend,   // list_append(args[0], args[1])    (update SET only)
  };
  Kind kind = Kind::kPath;
  Path path;
  uint32_t value = 0;
  std::vector<Operand> args;
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

enum class Function : uint8_t {
  kAttributeExists,     // attribute_exists(path)
  kAttributeNotExists,  // attribute_not_exists(path)
  kAttributeType,       // attribute_type(path, :type)
  kBeginsWith,          // begins_with(operand, operand)
  kContains,            // contains(operand, operand)
};

// A boolean condition.
struct Condition {
  enum class Kind : uint8_t {
    kCompare,   // operands[0] <op> operands[1]
    kBetween,   // operands[0] BETWEEN operands[1] AND operands[2]
    kIn,        // operands[0] IN (operands[1..])
    kFunction,  // function(operands...)
    kAnd,       // children[0] AND children[1]
    kOr,        // children[0] OR children[1]
    kNot,       // NOT children[0]
  };
  Kind kind = Kind::kCompare;
  CompareOp op = CompareOp::kEq;
  Function function = Function::kAttributeExists;
  std::vector<Operand> operands;
  std::vector<Condition> children;
};

// One action of an update expression.
struct UpdateAction {
  enum class Kind : uint8_t { kSet, kRemove, kAdd, kDelete };
  Kind kind = Kind::kSet;
  Path path;
  Operand value;  // kSet: the value; kAdd/kDelete: a kValue operand; unused for kRemove
};

// A parsed expression of one kind.
struct ParsedExpression {
  ExpressionKind kind = ExpressionKind::kCondition;
  std::vector<std::string> name_placeholders;   // "#a", distinct, in order of appearance
  std::vector<std::string> value_placeholders;  // ":v", distinct, in order of appearance
  Condition condition;                          // kCondition, kKeyCondition, kFilter
  std::vector<UpdateAction> actions;            // kUpdate: in the order written
  std::vector<Path> projection;                 // kProjection: in the order written
};

}  // namespace strata::query
