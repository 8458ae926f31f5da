package polar

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/wearkit/wearkit"
)

// ExportSummary is the export manifest: what the CSV exports would hold.
type ExportSummary struct {
	UserID       string         `json:"user_id" polar:"id"`
	Days         int            `json:"days"`
	FromDate     time.Time      `json:"from_date"`
	ToDate       time.Time      `json:"to_date"`
	RecordCounts map[string]int `json:"record_counts"`
	TotalRecords int            `json:"total_records"`
	Extra        Extra          `json:"-"`
}

// UnmarshalJSON decodes the answer, keeping unknown keys.
func (e *ExportSummary) UnmarshalJSON(b []byte) error { return decodeObject(b, e) }

// ExportSummary returns the export manifest of the last days days (1 to
// 365).
func (c *Client) ExportSummary(ctx context.Context, userID string, days int) (*ExportSummary, error) {
	var out ExportSummary
	if err := c.getDays(ctx, "ExportSummary", userID, "export/summary", days, MinDays, MaxDays, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CSVExport names one of the server's four CSV exports.
type CSVExport string

// The CSV exports.
const (
	CSVSleep      CSVExport = "sleep"
	CSVActivity   CSVExport = "activity"
	CSVRecharge   CSVExport = "recharge"
	CSVCardioLoad CSVExport = "cardio-load"
)

// String names the export, or says it is unknown.
func (e CSVExport) String() string {
	switch e {
	case CSVSleep, CSVActivity, CSVRecharge, CSVCardioLoad:
		return string(e)
	}
	return fmt.Sprintf("unknown CSV export %q", string(e))
}

func (e CSVExport) check(method string) error {
	switch e {
	case CSVSleep, CSVActivity, CSVRecharge, CSVCardioLoad:
		return nil
	}
	return fmt.Errorf("polar: %s: %s (want sleep, activity, recharge or cardio-load)", method, e)
}

// ExportCSV streams one CSV export of the last days days (1 to 365) into w
// as the server writes it (rows oldest first, CRLF line ends, and an empty
// cell for a null and also for a 0). Nothing is held in memory; a failure
// after the first bytes leaves w holding part of the file.
func (c *Client) ExportCSV(ctx context.Context, userID string, export CSVExport, days int, w io.Writer) error {
	if w == nil {
		return errors.New("polar: ExportCSV: nil writer")
	}
	if err := export.check("ExportCSV"); err != nil {
		return err
	}
	return c.getDays(ctx, "ExportCSV", userID, "export/"+string(export)+".csv", days, MinDays, MaxDays, w)
}

// openCSV opens an export for parsing.
func (c *Client) openCSV(ctx context.Context, method, userID string, export CSVExport, days int, parse func(io.Reader) error) error {
	if err := checkUser(method, userID); err != nil {
		return err
	}
	if err := checkDays(method, days, MinDays, MaxDays); err != nil {
		return err
	}
	resp, _, err := c.rc.Open(ctx, &wearkit.Request{Path: userPath(userID, "export", string(export)+".csv"), Query: daysQuery{days}})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return parse(resp.Body)
}

// Rows of the CSV exports. A nil number is an empty cell: the server writes
// one for a null and, because it tests values for truth, for a 0 as well,
// so an empty cell may also mean zero (0 steps, a status of 0).

// SleepCSVRow is a row of sleep.csv.
type SleepCSVRow struct {
	Date                                             time.Time
	SleepScore, TotalHours, DeepHours, LightHours    *float64
	REMHours, HRVAvg, HeartRateAvg, BreathingRateAvg *float64
}

// ActivityCSVRow is a row of activity.csv.
type ActivityCSVRow struct {
	Date                                             time.Time
	Steps, CaloriesActive, CaloriesTotal, DistanceKm *float64
	ActiveMinutes                                    *float64
}

// RechargeCSVRow is a row of recharge.csv. Status is the ans_charge_status
// in whichever form the server wrote it (an integer in its code).
type RechargeCSVRow struct {
	Date                        time.Time
	HRVAvg, ANSCharge           *float64
	Status                      RechargeStatus
	BreathingRate, HeartRateAvg *float64
}

// CardioLoadCSVRow is a row of cardio-load.csv.
type CardioLoadCSVRow struct {
	Date                                     time.Time
	Strain, Tolerance, CardioLoad, LoadRatio *float64
	Status                                   string
}

// SleepCSV downloads and parses sleep.csv.
func (c *Client) SleepCSV(ctx context.Context, userID string, days int) ([]SleepCSVRow, error) {
	var rows []SleepCSVRow
	err := c.openCSV(ctx, "SleepCSV", userID, CSVSleep, days, func(r io.Reader) (err error) { rows, err = ParseSleepCSV(r); return })
	return rows, err
}

// ActivityCSV downloads and parses activity.csv.
func (c *Client) ActivityCSV(ctx context.Context, userID string, days int) ([]ActivityCSVRow, error) {
	var rows []ActivityCSVRow
	err := c.openCSV(ctx, "ActivityCSV", userID, CSVActivity, days, func(r io.Reader) (err error) { rows, err = ParseActivityCSV(r); return })
	return rows, err
}

// RechargeCSV downloads and parses recharge.csv.
func (c *Client) RechargeCSV(ctx context.Context, userID string, days int) ([]RechargeCSVRow, error) {
	var rows []RechargeCSVRow
	err := c.openCSV(ctx, "RechargeCSV", userID, CSVRecharge, days, func(r io.Reader) (err error) { rows, err = ParseRechargeCSV(r); return })
	return rows, err
}

// CardioLoadCSV downloads and parses cardio-load.csv.
func (c *Client) CardioLoadCSV(ctx context.Context, userID string, days int) ([]CardioLoadCSVRow, error) {
	var rows []CardioLoadCSVRow
	err := c.openCSV(ctx, "CardioLoadCSV", userID, CSVCardioLoad, days, func(r io.Reader) (err error) { rows, err = ParseCardioLoadCSV(r); return })
	return rows, err
}

// ParseSleepCSV parses sleep.csv (columns date, sleep_score, total_hours,
// deep_hours, light_hours, rem_hours, hrv_avg, heart_rate_avg,
// breathing_rate_avg, found by name in the header).
func ParseSleepCSV(r io.Reader) ([]SleepCSVRow, error) {
	return readCSV(r, "sleep.csv", func(row *SleepCSVRow) []cell {
		return []cell{{"date", dateCell(&row.Date)}, {"sleep_score", num(&row.SleepScore)}, {"total_hours", num(&row.TotalHours)},
			{"deep_hours", num(&row.DeepHours)}, {"light_hours", num(&row.LightHours)}, {"rem_hours", num(&row.REMHours)},
			{"hrv_avg", num(&row.HRVAvg)}, {"heart_rate_avg", num(&row.HeartRateAvg)}, {"breathing_rate_avg", num(&row.BreathingRateAvg)}}
	})
}

// ParseActivityCSV parses activity.csv (date, steps, calories_active,
// calories_total, distance_km, active_minutes).
func ParseActivityCSV(r io.Reader) ([]ActivityCSVRow, error) {
	return readCSV(r, "activity.csv", func(row *ActivityCSVRow) []cell {
		return []cell{{"date", dateCell(&row.Date)}, {"steps", num(&row.Steps)}, {"calories_active", num(&row.CaloriesActive)},
			{"calories_total", num(&row.CaloriesTotal)}, {"distance_km", num(&row.DistanceKm)}, {"active_minutes", num(&row.ActiveMinutes)}}
	})
}

// ParseRechargeCSV parses recharge.csv (date, hrv_avg, ans_charge, status,
// breathing_rate, heart_rate_avg).
func ParseRechargeCSV(r io.Reader) ([]RechargeCSVRow, error) {
	return readCSV(r, "recharge.csv", func(row *RechargeCSVRow) []cell {
		return []cell{{"date", dateCell(&row.Date)}, {"hrv_avg", num(&row.HRVAvg)}, {"ans_charge", num(&row.ANSCharge)},
			{"status", statusCell(&row.Status)}, {"breathing_rate", num(&row.BreathingRate)}, {"heart_rate_avg", num(&row.HeartRateAvg)}}
	})
}

// ParseCardioLoadCSV parses cardio-load.csv (date, strain, tolerance,
// cardio_load, load_ratio, status).
func ParseCardioLoadCSV(r io.Reader) ([]CardioLoadCSVRow, error) {
	return readCSV(r, "cardio-load.csv", func(row *CardioLoadCSVRow) []cell {
		return []cell{{"date", dateCell(&row.Date)}, {"strain", num(&row.Strain)}, {"tolerance", num(&row.Tolerance)},
			{"cardio_load", num(&row.CardioLoad)}, {"load_ratio", num(&row.LoadRatio)}, {"status", text(&row.Status)}}
	})
}

// cell binds a column name to a setter of one row's field.
type cell struct {
	column string
	set    func(string) error
}

func num(dst **float64) func(string) error {
	return func(s string) error {
		if s == "" {
			return nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		*dst = &v
		return nil
	}
}

func text(dst *string) func(string) error { return func(s string) error { *dst = s; return nil } }

func dateCell(dst *time.Time) func(string) error {
	return func(s string) error {
		if s == "" {
			return errors.New("empty date")
		}
		t, err := ParseTime(s)
		*dst = t
		return err
	}
}

func statusCell(dst *RechargeStatus) func(string) error {
	return func(s string) error {
		if s == "" {
			return nil
		}
		if v, err := strconv.Atoi(s); err == nil {
			*dst = RechargeStatus{Level: v, HasLevel: true}
			return nil
		}
		*dst = RechargeStatus{Name: s}
		return nil
	}
}

// readCSV reads a header row, finds each bound column by name (a missing
// column stays nil; an unknown one is ignored) and parses every row. Errors
// name the file, the line and the column.
func readCSV[T any](r io.Reader, file string, bind func(*T) []cell) ([]T, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("polar: %s: header: %w", file, err)
	}
	pos := map[string]int{}
	for i, h := range header {
		pos[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	var zero T
	if _, ok := pos[bind(&zero)[0].column]; !ok {
		return nil, fmt.Errorf("polar: %s: header has no %q column (got %q)", file, bind(&zero)[0].column, strings.Join(header, ","))
	}
	var rows []T
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			// A *csv.ParseError names its line; FieldPos has no record
			// to tell of after a failed Read (it panics).
			return rows, fmt.Errorf("polar: %s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		var row T
		for _, c := range bind(&row) {
			i, ok := pos[c.column]
			if !ok || i >= len(rec) {
				continue
			}
			if err := c.set(strings.TrimSpace(rec[i])); err != nil {
				return rows, fmt.Errorf("polar: %s line %d column %q: %w", file, line, c.column, err)
			}
		}
		rows = append(rows, row)
	}
}
