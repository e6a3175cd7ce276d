package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// printJSON prints an API answer as indented JSON, in the shape the API
// answers it: SDK output structs lose their ResultMetadata, and absent
// (nil or empty) fields are left out.
func printJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		return err
	}
	if m, ok := tree.(map[string]any); ok {
		delete(m, "ResultMetadata")
	}
	tree, _ = prune(tree)
	if tree == nil {
		tree = map[string]any{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(tree)
}

// prune drops nulls, empty strings and empty objects from a JSON tree
// (arrays are kept, even empty: a list answer always has its list).
func prune(v any) (any, bool) {
	switch v := v.(type) {
	case nil:
		return nil, false
	case string:
		return v, v != ""
	case map[string]any:
		for k, e := range v {
			if e, keep := prune(e); keep {
				v[k] = e
			} else {
				delete(v, k)
			}
		}
		return v, len(v) > 0
	case []any:
		for i, e := range v {
			if e, keep := prune(e); keep {
				v[i] = e
			}
		}
		return v, true
	}
	return v, true
}

// table prints rows aligned in columns under a header.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if t.header != nil {
		fmt.Fprintln(tw, strings.Join(t.header, "\t"))
	}
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// details prints one object as "Field  value" lines, leaving out empty
// values.
type details struct{ table }

func (d *details) field(name, value string) {
	if value != "" {
		d.add(name, value)
	}
}

// emit prints v as JSON, or as the table tbl builds.
func (r *remote) emit(v any, tbl func() *table) error {
	if r.format == "json" {
		return printJSON(r.out, v)
	}
	return tbl().print(r.out)
}

func fmtTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func fmtBool(b bool) string { return strconv.FormatBool(b) }

func fmtInt(n *int32) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(int(*n))
}

// fmtList joins a list of strings or string-typed enums.
func fmtList[S ~string](list []S) string {
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = string(s)
	}
	return strings.Join(parts, ",")
}

// attr returns a user attribute's value.
func attr(list []types.AttributeType, name string) string {
	for _, a := range list {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

// attrRows adds a user's attributes to details, sorted by name.
func attrRows(d *details, list []types.AttributeType) {
	sorted := append([]types.AttributeType(nil), list...)
	sort.Slice(sorted, func(i, j int) bool { return aws.ToString(sorted[i].Name) < aws.ToString(sorted[j].Name) })
	for _, a := range sorted {
		d.field(aws.ToString(a.Name), aws.ToString(a.Value))
	}
}
