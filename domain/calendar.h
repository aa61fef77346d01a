// WorkCalendar: the official working-day calendar (domain.md section 3).
//
// A day is a working day when it is Monday-Friday and not an official day
// off, or a weekend day declared a make-up working day (调休上班). The
// calendar only answers for the years whose schedule it holds; asking about
// any other year is an error, never a guess.
//
// Text format (one directive per line, '#' starts a comment):
//
//   year 2023                          starts the schedule of 2023
//   off  2023-01-21 2023-01-27 春节    days off, a single day or a range
//   work 2023-01-28 春节调休            a weekend day that is a working day
//
// The lines after `year Y` belong to Y's schedule (they may name a day of an
// adjacent year, as the official notices do for 31 December). A make-up
// working day must fall on a weekend; a day cannot be both off and working.
//
// A WorkCalendar is immutable after construction and safe to share between
// threads.
#ifndef GONGKAI_DOMAIN_CALENDAR_H_
#define GONGKAI_DOMAIN_CALENDAR_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/lang.h"

namespace gongkai {

enum class DayKind {
  kWorkday,        // an ordinary Monday-Friday
  kWeekend,        // an ordinary Saturday or Sunday
  kDayOff,         // an official day off (holiday)
  kMakeupWorkday,  // a weekend day declared a working day
};

// One listed day of a year's schedule.
struct ScheduledDay {
  absl::CivilDay day;
  DayKind kind;  // kDayOff or kMakeupWorkday
  std::string name;
};

// How one day was treated while counting working days.
struct CountedDay {
  absl::CivilDay day;
  DayKind kind;
  std::string name;  // holiday name for listed days
  int ordinal;       // 1-based working-day number, 0 when skipped
};

class WorkCalendar {
 public:
  WorkCalendar() = default;

  // Parses the text format above. `source` names the file in errors.
  static absl::StatusOr<WorkCalendar> Parse(absl::string_view text,
                                            absl::string_view source);

  // The calendar shipped with gongkai (2008-2026: every year since the first
  // Regulations took effect), built into the binary.
  static const WorkCalendar& Official();

  // Returns a calendar with `other`'s years added; a year present in both is
  // taken from `other` whole (a corrected schedule replaces the old one).
  WorkCalendar MergedWith(const WorkCalendar& other) const;

  bool Covers(int year) const { return years_.count(year) > 0; }
  std::vector<int> Years() const;

  // How `day` counts. Error when the calendar has no schedule for its year.
  absl::StatusOr<DayKind> Classify(absl::CivilDay day) const;
  absl::StatusOr<bool> IsWorkingDay(absl::CivilDay day) const;

  // The `n`-th working day after `start` (start itself not counted; n >= 1).
  // When `trace` is given, every day examined is appended to it.
  absl::StatusOr<absl::CivilDay> AddWorkingDays(
      absl::CivilDay start, int n,
      std::vector<CountedDay>* trace = nullptr) const;

  // Number of working days d with from < d <= to (0 when to <= from).
  absl::StatusOr<int> WorkingDaysBetween(absl::CivilDay from,
                                         absl::CivilDay to) const;
  // Working days left from `today` to `due`; negative (the working days
  // since) once `due` has passed.
  absl::StatusOr<int> WorkingDaysLeft(absl::CivilDay today,
                                      absl::CivilDay due) const;

  // The listed days of `year`'s schedule, in date order.
  std::vector<ScheduledDay> Schedule(int year) const;

  // The calendar in the text format, one year block after another.
  std::string ToText() const;
  // One year's block in the text format.
  std::string YearText(int year) const;

 private:
  struct Listed {
    DayKind kind;
    std::string name;
    int year;  // the schedule the line belongs to
  };
  absl::Status Add(int year, absl::CivilDay day, DayKind kind,
                   std::string name);
  // Builds the dense index below from years_ and listed_; called whenever
  // they are complete.
  void BuildIndex();
  // Position of `day` in the index, or -1 outside it.
  int64_t Slot(absl::CivilDay day) const;
  absl::StatusOr<DayKind> ClassifySlowly(absl::CivilDay day) const;

  std::set<int> years_;
  std::map<absl::CivilDay, Listed> listed_;
  // Every day from 1 January of the first year to 31 December of the last:
  // its kind and running counts, so that counting working days takes two
  // lookups instead of a walk over the days. Days of years without a
  // schedule are marked; anything touching them takes the slow path, which
  // gives the precise error.
  absl::CivilDay index_base_;
  std::vector<uint8_t> kinds_;           // DayKind, or kUncovered
  std::vector<int32_t> working_upto_;    // working days in [base, day]
  std::vector<int32_t> uncovered_upto_;  // days without a schedule, likewise
};

// Describes a counting trace in plain words, one line per calendar week,
// naming every skipped holiday and weekend and every make-up day counted,
// in the reader's language `lang`.
std::vector<std::string> DescribeCount(const std::vector<CountedDay>& trace,
                                       Lang lang);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_CALENDAR_H_
