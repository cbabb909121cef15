#pragma once
// Reading typed values out of one data row, with errors that name the file, line and field, and
// the text transforms of input fields.

#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset_spec.h"
#include "judgeopt/data/records.h"

namespace judgeopt::data {

/// InvalidArgument("<path>:<line>: field '<field>': <what>").
Error FieldError(const std::string& path, std::size_t line, std::string_view field,
                 std::string_view what);

/// A field as text: strings as they are, numbers and booleans as JSON writes them. A missing or
/// null field is an error.
Result<std::string> FieldText(const Record& row, const std::string& field, const std::string& path);

/// A criterion's gold value: a JSON number, or a string holding one number (CSV). Fails when it
/// is missing or empty, not a number, outside [min, max], or not whole where whole_gold is set.
Result<double> GoldValue(const Record& row, const CriterionSpec& criterion,
                         const std::string& path);

/// The names of the {field} placeholders of an id template, in order.
std::vector<std::string> TemplateFields(const std::string& tmpl);
/// Fills an id template from the row.
Result<std::string> ExpandTemplate(const std::string& tmpl, const Record& row,
                                   const std::string& path);

/// Applies the transforms in order.
std::string ApplyTransforms(std::string text, const std::vector<TextTransform>& transforms);

}  // namespace judgeopt::data
