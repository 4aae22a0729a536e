// A hand-written recursive-descent parser for DynamoDB expressions, following AWS's grammar:
//
//   condition  := or EOF
//   or         := and (OR and)*                        (right-associative)
//   and        := not (AND not)*                       (right-associative)
//   not        := NOT* primary
//   primary    := '(' or ')'                           (grouping; '((' x '))' is redundant)
//               | func                                 (attribute_exists(a), begins_with(a, :v)...)
//               | operand comparator operand
//               | operand BETWEEN operand AND operand
//               | operand IN '(' operand (',' operand)* ')'
//   operand    := path | VALUE_SUB | func | '(' operand ')'
//   func       := ID '(' operand (',' operand)* ')'
//   path       := (ID | NAME_SUB) ('.' (ID | NAME_SUB) | '[' INDEX ']')*
//
//   update     := (SET set (',' set)* | REMOVE path (',' path)* | ADD path VALUE_SUB (',' ...)*
//                  | DELETE path VALUE_SUB (',' ...)*)+ EOF
//   set        := path '=' setvalue
//   setvalue   := operand | arith
//   arith      := operand ('+' | '-') operand | '(' arith ')'
//
//   projection := path (',' path)* EOF
//
// A '(' in a condition may open a grouped condition or a parenthesized operand, and a function
// call may be a condition or an operand (size); the parser decides after the closing
// parenthesis, without backtracking, so parsing is linear in the text.

#include "query/parser.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "item/api_error.h"
#include "query/binder.h"
#include "query/lexer.h"
#include "query/parser_internal.h"
#include "query/reserved_words.h"

namespace strata::query {
namespace internal {

Status ExpressionError(ExpressionKind kind, std::string_view message) {
  std::string msg = "Invalid ";
  msg += ExpressionKindName(kind);
  msg += ": ";
  msg += message;
  return item::ValidationError(msg);
}

}  // namespace internal

namespace {

using internal::ExpressionError;

enum class CallName : uint8_t {
  kUnknown,
  kAttributeExists,
  kAttributeNotExists,
  kAttributeType,
  kBeginsWith,
  kContains,
  kSize,
  kIfNotExists,
  kListAppend,
};

CallName LookupCall(std::string_view name) {
  // Function names are case-sensitive, as AWS documents.
  if (name == "attribute_exists") return CallName::kAttributeExists;
  if (name == "attribute_not_exists") return CallName::kAttributeNotExists;
  if (name == "attribute_type") return CallName::kAttributeType;
  if (name == "begins_with") return CallName::kBeginsWith;
  if (name == "contains") return CallName::kContains;
  if (name == "size") return CallName::kSize;
  if (name == "if_not_exists") return CallName::kIfNotExists;
  if (name == "list_append") return CallName::kListAppend;
  return CallName::kUnknown;
}

bool IsConditionFunction(CallName c) {
  return c == CallName::kAttributeExists || c == CallName::kAttributeNotExists ||
         c == CallName::kAttributeType || c == CallName::kBeginsWith || c == CallName::kContains;
}

Function ToFunction(CallName c) {
  switch (c) {
    case CallName::kAttributeNotExists:
      return Function::kAttributeNotExists;
    case CallName::kAttributeType:
      return Function::kAttributeType;
    case CallName::kBeginsWith:
      return Function::kBeginsWith;
    case CallName::kContains:
      return Function::kContains;
    default:
      return Function::kAttributeExists;
  }
}

bool IsComparator(TokenKind k) {
  return k == TokenKind::kEq || k == TokenKind::kNe || k == TokenKind::kLt || k == TokenKind::kLe ||
         k == TokenKind::kGt || k == TokenKind::kGe;
}

CompareOp ToCompareOp(TokenKind k) {
  switch (k) {
    case TokenKind::kNe:
      return CompareOp::kNe;
    case TokenKind::kLt:
      return CompareOp::kLt;
    case TokenKind::kLe:
      return CompareOp::kLe;
    case TokenKind::kGt:
      return CompareOp::kGt;
    case TokenKind::kGe:
      return CompareOp::kGe;
    default:
      return CompareOp::kEq;
  }
}

// The result of parsing a condition-level construct whose role is not known yet: a condition,
// an operand, or a function call that may become either.
struct Node {
  enum class Kind : uint8_t { kCondition, kOperand, kCall };
  Kind kind = Kind::kCondition;
  bool outer_parens = false;  // the construct is wrapped in parentheses
  Condition condition;        // kCondition
  Operand operand;            // kOperand; kCall: the arguments, in operand.args
  CallName call = CallName::kUnknown;
  uint32_t call_token = 0;  // kCall: the function-name token
};

// Parses one expression. Holds the tokens and the first error of each kind AWS ranks.
class Parser {
 public:
  Parser(ExpressionKind kind, std::string_view text, ParsedExpression* out)
      : kind_(kind), text_(text), out_(out) {}

  Status Run() {
    Tokenize(text_, &tokens_);
    out_->kind = kind_;
    bool ok = false;
    switch (kind_) {
      case ExpressionKind::kCondition:
      case ExpressionKind::kKeyCondition:
      case ExpressionKind::kFilter:
        ok = ParseConditionExpression();
        break;
      case ExpressionKind::kUpdate:
        ok = ParseUpdateExpression();
        break;
      case ExpressionKind::kProjection:
        ok = ParseProjectionExpression();
        break;
    }
    if (!ok) return std::move(error_);
    // Text-only semantic errors, in AWS's order.
    const std::string* order[4] = {};
    if (IsConditionKind()) {
      order[0] = &unknown_function_;
      order[1] = &misused_function_;
      order[2] = &reserved_;
    } else if (kind_ == ExpressionKind::kUpdate) {
      order[0] = &reserved_;
      order[1] = &unknown_function_;
      order[2] = &section_;
    } else {
      order[0] = &reserved_;
    }
    for (const std::string* e : order) {
      if (e != nullptr && !e->empty()) return ExpressionError(kind_, *e);
    }
    return Status::OK();
  }

 private:
  bool IsConditionKind() const {
    return kind_ == ExpressionKind::kCondition || kind_ == ExpressionKind::kKeyCondition ||
           kind_ == ExpressionKind::kFilter;
  }

  // ---- tokens ----
  const Token& Cur() const { return tokens_[pos_]; }
  TokenKind CurKind() const { return tokens_[pos_].kind; }
  TokenKind KindAt(size_t i) const {
    return i < tokens_.size() ? tokens_[i].kind : TokenKind::kEof;
  }
  std::string_view TextOf(const Token& t) const { return text_.substr(t.begin, t.end - t.begin); }
  void Advance() {
    if (tokens_[pos_].kind != TokenKind::kEof) ++pos_;
  }

  // ---- errors ----
  bool Fail(std::string_view message) {
    error_ = ExpressionError(kind_, message);
    return false;
  }

  // "Syntax error; token: "<tok>", near: "<prev tok .. next tok>"" at the current token.
  bool SyntaxError() {
    const Token& t = Cur();
    size_t begin = pos_ > 0 ? tokens_[pos_ - 1].begin : t.begin;
    size_t end = t.end;
    if (t.kind != TokenKind::kEof && pos_ + 1 < tokens_.size()) end = tokens_[pos_ + 1].end;
    std::string msg = "Syntax error; token: \"";
    if (t.kind == TokenKind::kEof) {
      msg += "<EOF>";
    } else {
      msg += TextOf(t);
    }
    msg += "\", near: \"";
    msg += text_.substr(begin, end - begin);
    msg += "\"";
    return Fail(msg);
  }

  bool Expect(TokenKind k) {
    if (CurKind() != k) return SyntaxError();
    Advance();
    return true;
  }

  bool CountOperator() {
    if (++operators_ > internal::kMaxOperators) {
      return Fail("The expression contains too many operators; operator count: " +
                  std::to_string(operators_));
    }
    return true;
  }

  // Enters one level of nesting; the current token is the '(' that opens it.
  bool Enter(bool grouping) {
    if (++nesting_ > internal::kMaxNesting) {
      // Only reachable through redundant or invalid nesting (see kMaxNesting).
      if (!grouping) return SyntaxError();
      // A run of '(' up to the end is a syntax error at the end; else the parentheses nest
      // with nothing between them, which AWS reports as redundant.
      size_t p = pos_;
      while (tokens_[p].kind == TokenKind::kLParen) ++p;
      if (tokens_[p].kind == TokenKind::kEof) {
        pos_ = p;
        return SyntaxError();
      }
      return RedundantParens();
    }
    return true;
  }
  void Leave() { --nesting_; }

  bool RedundantParens() { return Fail("The expression has redundant parentheses;"); }

  static void Record(std::string* slot, std::string message) {
    if (slot->empty()) *slot = std::move(message);
  }

  // ---- placeholders ----
  uint32_t Intern(std::vector<std::string>* list, std::string_view token) {
    for (size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i] == token) return static_cast<uint32_t>(i);
    }
    list->emplace_back(token);
    return static_cast<uint32_t>(list->size() - 1);
  }

  // ---- paths ----
  bool ParsePathElementName(Path* path) {
    const Token& t = Cur();
    PathElement e;
    if (t.kind == TokenKind::kIdentifier) {
      e.kind = PathElement::Kind::kName;
      e.name = std::string(TextOf(t));
      if (reserved_.empty() && IsReservedWord(e.name)) {
        reserved_ = "Attribute name is a reserved keyword; reserved keyword: " + e.name;
      }
    } else if (t.kind == TokenKind::kNameSub) {
      e.kind = PathElement::Kind::kNamePlaceholder;
      e.index = Intern(&out_->name_placeholders, TextOf(t));
    } else {
      return SyntaxError();
    }
    Advance();
    path->elements.push_back(std::move(e));
    return true;
  }

  bool ParsePath(Path* path) {
    if (!ParsePathElementName(path)) return false;
    for (;;) {
      if (CurKind() == TokenKind::kDot) {
        Advance();
        if (!ParsePathElementName(path)) return false;
      } else if (CurKind() == TokenKind::kLBracket) {
        Advance();
        if (CurKind() != TokenKind::kIndex) return SyntaxError();
        std::string_view digits = TextOf(Cur());
        uint64_t v = 0;
        for (char c : digits) {
          v = v * 10 + static_cast<uint64_t>(c - '0');
          if (v > INT32_MAX) break;
        }
        if (v > INT32_MAX) {
          return Fail("List index is not within the allowable range; index: " +
                      std::string(digits));
        }
        Advance();
        if (!Expect(TokenKind::kRBracket)) return false;
        PathElement e;
        e.kind = PathElement::Kind::kIndex;
        e.index = static_cast<uint32_t>(v);
        path->elements.push_back(std::move(e));
      } else {
        return true;
      }
    }
  }

  // ---- function calls (shared) ----
  // Parses `name(args...)`; the current token is the name, followed by '('.
  bool ParseCall(Node* node, bool update_context) {
    node->kind = Node::Kind::kCall;
    node->call_token = static_cast<uint32_t>(pos_);
    std::string_view name = TextOf(Cur());
    node->call = LookupCall(name);
    Advance();  // name
    if (!Enter(false)) return false;
    Advance();  // '('
    for (;;) {
      Operand arg;
      if (!(update_context ? ParseOperandU(&arg) : ParseOperandC(&arg))) return false;
      node->operand.args.push_back(std::move(arg));
      if (CurKind() == TokenKind::kComma) {
        Advance();
        continue;
      }
      if (!Expect(TokenKind::kRParen)) return false;
      break;
    }
    Leave();
    // Function names are checked once the call is complete, as AWS does.
    if (node->call == CallName::kUnknown) {
      Record(&unknown_function_, "Invalid function name; function: " + std::string(name));
    } else if (update_context && node->call != CallName::kIfNotExists &&
               node->call != CallName::kListAppend) {
      Record(&unknown_function_,
             "The function is not allowed in an update expression; function: " + std::string(name));
    } else if (!update_context &&
               (node->call == CallName::kIfNotExists || node->call == CallName::kListAppend)) {
      Record(
          &unknown_function_,
          "The function is not allowed in a condition expression; function: " + std::string(name));
    }
    return true;
  }

  std::string CallNameText(const Node& n) const {
    return std::string(TextOf(tokens_[n.call_token]));
  }

  // ---- conditions ----
  bool ParseConditionExpression() {
    Node n;
    if (!ParseOr(false, &n)) return false;
    if (CurKind() != TokenKind::kEof) return SyntaxError();
    out_->condition = std::move(n.condition);
    return true;
  }

  // A call used where a condition is expected.
  void CallToCondition(Node* n) {
    Condition c;
    c.kind = Condition::Kind::kFunction;
    if (n->call == CallName::kSize) {
      Record(&misused_function_,
             "The function is not allowed to be used this way in an expression; function: " +
                 CallNameText(*n));
    }
    c.function = ToFunction(n->call);
    c.operands = std::move(n->operand.args);
    n->condition = std::move(c);
    n->operand = Operand();
    n->kind = Node::Kind::kCondition;
  }

  // A call used where an operand is expected: only size() produces a value.
  void CallToOperand(Node* n) {
    Operand o;
    if (n->call == CallName::kSize) {
      o.kind = Operand::Kind::kSize;
      if (n->operand.args.size() == 1 && n->operand.args[0].kind == Operand::Kind::kPath) {
        o.path = std::move(n->operand.args[0].path);
      } else {
        o.args = std::move(n->operand.args);
      }
    } else {
      if (IsConditionFunction(n->call)) {
        Record(&misused_function_,
               "The function is not allowed to be used this way in an expression; function: " +
                   CallNameText(*n));
      }
      // Unknown and update-only functions were recorded when parsed; the node is a
      // placeholder the error replaces.
      o.kind = Operand::Kind::kSize;
      o.args = std::move(n->operand.args);
    }
    n->operand = std::move(o);
    n->kind = Node::Kind::kOperand;
  }

  // operand := path | VALUE_SUB | func | '(' operand ')'   (condition context)
  bool ParseOperandC(Operand* out) {
    Node n;
    if (!ParseOperandNode(&n, false)) return false;
    *out = std::move(n.operand);
    return true;
  }

  // Parses an operand into `n` (kOperand), tracking its outer parentheses.
  bool ParseOperandNode(Node* n, bool update_context) {
    switch (CurKind()) {
      case TokenKind::kLParen: {
        if (!Enter(true)) return false;
        Advance();
        Node inner;
        if (!ParseOperandNode(&inner, update_context)) return false;
        if (!Expect(TokenKind::kRParen)) return false;
        Leave();
        if (inner.outer_parens) return RedundantParens();
        *n = std::move(inner);
        n->outer_parens = true;
        return true;
      }
      case TokenKind::kIdentifier:
        if (KindAt(pos_ + 1) == TokenKind::kLParen) {
          if (!ParseCall(n, update_context)) return false;
          if (update_context) {
            CallToUpdateOperand(n);
          } else {
            CallToOperand(n);
          }
          return true;
        }
        [[fallthrough]];
      case TokenKind::kNameSub:
        n->kind = Node::Kind::kOperand;
        n->operand.kind = Operand::Kind::kPath;
        return ParsePath(&n->operand.path);
      case TokenKind::kValueSub:
        n->kind = Node::Kind::kOperand;
        n->operand.kind = Operand::Kind::kValue;
        n->operand.value = Intern(&out_->value_placeholders, TextOf(Cur()));
        Advance();
        return true;
      default:
        return SyntaxError();
    }
  }

  // or := and (OR and)*; `allow_operand`: inside parentheses, where the content may turn out
  // to be an operand or a call.
  bool ParseOr(bool allow_operand, Node* out) {
    if (!ParseAnd(allow_operand, out)) return false;
    if (out->kind != Node::Kind::kCondition || CurKind() != TokenKind::kOr) return true;
    // Collect the chain, then nest it to the right: a OR (b OR c).
    std::vector<Condition> chain;
    chain.push_back(std::move(out->condition));
    while (CurKind() == TokenKind::kOr) {
      if (!CountOperator()) return false;
      Advance();
      Node next;
      if (!ParseAnd(false, &next)) return false;
      chain.push_back(std::move(next.condition));
    }
    *out = Node();
    out->condition = FoldRight(Condition::Kind::kOr, &chain);
    return true;
  }

  bool ParseAnd(bool allow_operand, Node* out) {
    if (!ParseNot(allow_operand, out)) return false;
    if (out->kind != Node::Kind::kCondition || CurKind() != TokenKind::kAnd) return true;
    std::vector<Condition> chain;
    chain.push_back(std::move(out->condition));
    while (CurKind() == TokenKind::kAnd) {
      if (!CountOperator()) return false;
      Advance();
      Node next;
      if (!ParseNot(false, &next)) return false;
      chain.push_back(std::move(next.condition));
    }
    *out = Node();
    out->condition = FoldRight(Condition::Kind::kAnd, &chain);
    return true;
  }

  static Condition FoldRight(Condition::Kind kind, std::vector<Condition>* chain) {
    Condition acc = std::move(chain->back());
    for (size_t i = chain->size() - 1; i-- > 0;) {
      Condition c;
      c.kind = kind;
      c.children.reserve(2);
      c.children.push_back(std::move((*chain)[i]));
      c.children.push_back(std::move(acc));
      acc = std::move(c);
    }
    return acc;
  }

  bool ParseNot(bool allow_operand, Node* out) {
    int nots = 0;
    while (CurKind() == TokenKind::kNot) {
      if (!CountOperator()) return false;
      Advance();
      ++nots;
    }
    if (!ParsePrimary(allow_operand && nots == 0, out)) return false;
    if (nots == 0) return true;
    for (int i = 0; i < nots; ++i) {
      Condition c;
      c.kind = Condition::Kind::kNot;
      c.children.push_back(std::move(out->condition));
      out->condition = std::move(c);
    }
    out->outer_parens = false;
    return true;
  }

  bool ParsePrimary(bool allow_operand, Node* n) {
    switch (CurKind()) {
      case TokenKind::kLParen: {
        if (!Enter(true)) return false;
        Advance();
        if (!ParseOr(true, n)) return false;
        if (!Expect(TokenKind::kRParen)) return false;
        Leave();
        if (n->outer_parens) return RedundantParens();
        n->outer_parens = true;
        break;
      }
      case TokenKind::kIdentifier:
        if (KindAt(pos_ + 1) == TokenKind::kLParen) {
          if (!ParseCall(n, false)) return false;
          break;
        }
        [[fallthrough]];
      case TokenKind::kNameSub:
      case TokenKind::kValueSub:
        if (!ParseOperandNode(n, false)) return false;
        break;
      default:
        return SyntaxError();
    }
    if (n->kind == Node::Kind::kCondition) return true;
    TokenKind k = CurKind();
    if (IsComparator(k) || k == TokenKind::kBetween || k == TokenKind::kIn) {
      if (n->kind == Node::Kind::kCall) CallToOperand(n);
      return ParseLeaf(n);
    }
    if (allow_operand && k == TokenKind::kRParen) return true;  // decided by the caller
    if (n->kind == Node::Kind::kCall) {
      CallToCondition(n);
      return true;
    }
    return SyntaxError();
  }

  // The operand in `n` is followed by a comparator, BETWEEN or IN.
  bool ParseLeaf(Node* n) {
    Condition c;
    c.operands.push_back(std::move(n->operand));
    TokenKind k = CurKind();
    if (!CountOperator()) return false;
    Advance();
    if (IsComparator(k)) {
      c.kind = Condition::Kind::kCompare;
      c.op = ToCompareOp(k);
      Operand rhs;
      if (!ParseOperandC(&rhs)) return false;
      c.operands.push_back(std::move(rhs));
    } else if (k == TokenKind::kBetween) {
      c.kind = Condition::Kind::kBetween;
      Operand lo, hi;
      if (!ParseOperandC(&lo)) return false;
      if (!Expect(TokenKind::kAnd)) return false;
      if (!ParseOperandC(&hi)) return false;
      c.operands.push_back(std::move(lo));
      c.operands.push_back(std::move(hi));
    } else {
      c.kind = Condition::Kind::kIn;
      if (!Expect(TokenKind::kLParen)) return false;
      for (;;) {
        Operand o;
        if (!ParseOperandC(&o)) return false;
        c.operands.push_back(std::move(o));
        if (CurKind() == TokenKind::kComma) {
          Advance();
          continue;
        }
        if (!Expect(TokenKind::kRParen)) return false;
        break;
      }
      size_t count = c.operands.size() - 1;
      if (count > internal::kMaxInOperands) {
        return Fail("The IN operator is provided with too many operands; number of operands: " +
                    std::to_string(count));
      }
    }
    *n = Node();
    n->condition = std::move(c);
    return true;
  }

  // ---- updates ----
  void CallToUpdateOperand(Node* n) {
    Operand o;
    o.kind =
        n->call == CallName::kListAppend ? Operand::Kind::kListAppend : Operand::Kind::kIfNotExists;
    o.args = std::move(n->operand.args);
    n->operand = std::move(o);
    n->kind = Node::Kind::kOperand;
  }

  bool ParseOperandU(Operand* out) {
    Node n;
    if (!ParseOperandNode(&n, true)) return false;
    *out = std::move(n.operand);
    return true;
  }

  // setvalue := operand | arith, arith := operand (+|-) operand | '(' arith ')'.
  // `is_arith`: the value is an arithmetic (possibly parenthesized).
  bool ParseSetValue(Operand* out, bool* outer_parens, bool* is_arith) {
    *outer_parens = false;
    *is_arith = false;
    if (CurKind() == TokenKind::kLParen) {
      if (!Enter(true)) return false;
      Advance();
      bool inner_parens = false;
      if (!ParseSetValue(out, &inner_parens, is_arith)) return false;
      if (!Expect(TokenKind::kRParen)) return false;
      Leave();
      if (inner_parens) return RedundantParens();
      *outer_parens = true;
    } else {
      if (!ParseOperandU(out)) return false;
    }
    if (!*is_arith && (CurKind() == TokenKind::kPlus || CurKind() == TokenKind::kMinus)) {
      Operand a;
      a.kind = CurKind() == TokenKind::kPlus ? Operand::Kind::kPlus : Operand::Kind::kMinus;
      if (!CountOperator()) return false;
      Advance();
      Operand rhs;
      if (!ParseOperandU(&rhs)) return false;
      a.args.reserve(2);
      a.args.push_back(std::move(*out));
      a.args.push_back(std::move(rhs));
      *out = std::move(a);
      *is_arith = true;
      *outer_parens = false;
    }
    return true;
  }

  bool ParseUpdateExpression() {
    bool seen[4] = {false, false, false, false};
    static constexpr std::array<const char*, 4> kNames = {"SET", "REMOVE", "ADD", "DELETE"};
    do {
      UpdateAction::Kind kind;
      switch (CurKind()) {
        case TokenKind::kSet:
          kind = UpdateAction::Kind::kSet;
          break;
        case TokenKind::kRemove:
          kind = UpdateAction::Kind::kRemove;
          break;
        case TokenKind::kAdd:
          kind = UpdateAction::Kind::kAdd;
          break;
        case TokenKind::kDelete:
          kind = UpdateAction::Kind::kDelete;
          break;
        default:
          return SyntaxError();
      }
      Advance();
      size_t section = static_cast<size_t>(kind);
      for (;;) {
        UpdateAction action;
        action.kind = kind;
        if (!ParsePath(&action.path)) return false;
        if (kind == UpdateAction::Kind::kSet) {
          if (!Expect(TokenKind::kEq)) return false;
          bool parens = false, arith = false;
          if (!ParseSetValue(&action.value, &parens, &arith)) return false;
        } else if (kind != UpdateAction::Kind::kRemove) {
          if (CurKind() != TokenKind::kValueSub) return SyntaxError();
          action.value.kind = Operand::Kind::kValue;
          action.value.value = Intern(&out_->value_placeholders, TextOf(Cur()));
          Advance();
        }
        out_->actions.push_back(std::move(action));
        if (CurKind() != TokenKind::kComma) break;
        Advance();
      }
      // AWS reports a repeated section after the whole section is parsed.
      if (seen[section]) {
        Record(&section_, std::string("The \"") + kNames[section] +
                              "\" section can only be used once in an update expression;");
      }
      seen[section] = true;
    } while (CurKind() != TokenKind::kEof);
    return true;
  }

  // ---- projections ----
  bool ParseProjectionExpression() {
    for (;;) {
      Path p;
      if (!ParsePath(&p)) return false;
      out_->projection.push_back(std::move(p));
      if (CurKind() == TokenKind::kComma) {
        Advance();
        continue;
      }
      if (CurKind() != TokenKind::kEof) return SyntaxError();
      return true;
    }
  }

  const ExpressionKind kind_;
  const std::string_view text_;
  ParsedExpression* const out_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int operators_ = 0;
  int nesting_ = 0;
  Status error_;
  // The first text-only semantic error of each kind (AWS ranks them, see Run()).
  std::string unknown_function_, misused_function_, reserved_, section_;
};

}  // namespace

namespace internal {

Status ParseUnchecked(ExpressionKind kind, std::string_view text, ParsedExpression* out) {
  *out = ParsedExpression();
  out->kind = kind;
  if (text.empty()) return ExpressionError(kind, "The expression can not be empty;");
  if (text.size() > kMaxExpressionBytes) {
    return ExpressionError(
        kind, "Expression size has exceeded the maximum allowed size; expression size: " +
                  std::to_string(text.size()));
  }
  Parser parser(kind, text, out);
  return parser.Run();
}

}  // namespace internal

Result<std::shared_ptr<const ParsedExpression>> ParseExpression(ExpressionKind kind,
                                                                std::string_view text) {
  auto expr = std::make_shared<ParsedExpression>();
  RETURN_IF_ERROR(internal::ParseUnchecked(kind, text, expr.get()));
  std::string structural = CheckStructure(*expr);
  if (!structural.empty()) return internal::ExpressionError(kind, structural);
  return std::shared_ptr<const ParsedExpression>(std::move(expr));
}

}  // namespace strata::query
