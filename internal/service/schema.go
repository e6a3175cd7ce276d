package service

import (
	"github.com/userpool/userpool/api"
)

// standardAttribute describes one of Cognito's standard (OIDC) attributes.
type standardAttribute struct {
	name     string
	dataType string
	mutable  bool
	required bool
	min, max string // string length or number bounds
}

// standardAttributes is the schema every pool starts with, in the order
// DescribeUserPool lists it.
var standardAttributes = []standardAttribute{
	{name: "sub", dataType: "String", mutable: false, required: true, min: "1", max: "2048"},
	{name: "name", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "given_name", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "family_name", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "middle_name", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "nickname", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "preferred_username", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "profile", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "picture", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "website", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "email", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "email_verified", dataType: "Boolean", mutable: true},
	{name: "gender", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "birthdate", dataType: "String", mutable: true, min: "10", max: "10"},
	{name: "zoneinfo", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "locale", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "phone_number", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "phone_number_verified", dataType: "Boolean", mutable: true},
	{name: "address", dataType: "String", mutable: true, min: "0", max: "2048"},
	{name: "updated_at", dataType: "Number", mutable: true, min: "0"},
}

func (a standardAttribute) schema() api.SchemaAttributeType {
	s := api.SchemaAttributeType{
		Name:                   api.String(a.name),
		AttributeDataType:      api.String(a.dataType),
		DeveloperOnlyAttribute: api.Bool(false),
		Mutable:                api.Bool(a.mutable),
		Required:               api.Bool(a.required),
	}
	switch a.dataType {
	case "String":
		s.StringAttributeConstraints = &api.StringAttributeConstraintsType{MinLength: api.String(a.min), MaxLength: api.String(a.max)}
	case "Number":
		s.NumberAttributeConstraints = &api.NumberAttributeConstraintsType{MinValue: api.String(a.min)}
	}
	return s
}

// maxCustomAttributes is Cognito's limit of custom attributes per pool.
const maxCustomAttributes = 50

// buildSchema merges the standard schema with the Schema of CreateUserPool:
// entries naming a standard attribute change its settings, others become
// custom attributes ("custom:" + name).
func buildSchema(requested []api.SchemaAttributeType) ([]api.SchemaAttributeType, error) {
	out := make([]api.SchemaAttributeType, 0, len(standardAttributes)+len(requested))
	for _, a := range standardAttributes {
		out = append(out, a.schema())
	}
	var custom []api.SchemaAttributeType
	for _, r := range requested {
		name := api.ToString(r.Name)
		if name == "" {
			return nil, invalidParam("Schema attribute name is required.")
		}
		if i := schemaIndex(out, name); i >= 0 {
			if name == "sub" {
				continue // sub is fixed
			}
			merged := out[i]
			if r.Required != nil {
				merged.Required = r.Required
			}
			if r.Mutable != nil {
				merged.Mutable = r.Mutable
			}
			if r.AttributeDataType != nil && api.ToString(r.AttributeDataType) != api.ToString(merged.AttributeDataType) {
				return nil, invalidParam("You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s", name)
			}
			if r.StringAttributeConstraints != nil {
				merged.StringAttributeConstraints = r.StringAttributeConstraints
			}
			if r.NumberAttributeConstraints != nil {
				merged.NumberAttributeConstraints = r.NumberAttributeConstraints
			}
			out[i] = merged
			continue
		}
		c, err := customAttribute(r)
		if err != nil {
			return nil, err
		}
		if schemaIndex(custom, api.ToString(c.Name)) >= 0 {
			return nil, invalidParam("Duplicate attribute names are not allowed: %s", name)
		}
		custom = append(custom, c)
	}
	if len(custom) > maxCustomAttributes {
		return nil, invalidParam("A user pool can have at most %d custom attributes.", maxCustomAttributes)
	}
	return append(out, custom...), nil
}

// customAttribute turns a requested schema entry into a custom attribute.
func customAttribute(r api.SchemaAttributeType) (api.SchemaAttributeType, error) {
	name := api.ToString(r.Name)
	if api.ToBool(r.Required) {
		return r, invalidParam("Required custom attributes are not supported currently.")
	}
	c := api.SchemaAttributeType{
		Name:                   api.String("custom:" + trimCustom(name)),
		AttributeDataType:      r.AttributeDataType,
		DeveloperOnlyAttribute: api.Bool(api.ToBool(r.DeveloperOnlyAttribute)),
		Mutable:                api.Bool(r.Mutable == nil || *r.Mutable),
		Required:               api.Bool(false),
	}
	if c.AttributeDataType == nil {
		c.AttributeDataType = api.String("String")
	}
	switch api.ToString(c.AttributeDataType) {
	case "String":
		c.StringAttributeConstraints = r.StringAttributeConstraints
		if c.StringAttributeConstraints == nil {
			c.StringAttributeConstraints = &api.StringAttributeConstraintsType{}
		}
	case "Number":
		c.NumberAttributeConstraints = r.NumberAttributeConstraints
		if c.NumberAttributeConstraints == nil {
			c.NumberAttributeConstraints = &api.NumberAttributeConstraintsType{}
		}
	}
	return c, nil
}

func trimCustom(name string) string {
	if len(name) > 7 && name[:7] == "custom:" {
		return name[7:]
	}
	return name
}

func schemaIndex(schema []api.SchemaAttributeType, name string) int {
	for i, a := range schema {
		if api.ToString(a.Name) == name {
			return i
		}
	}
	return -1
}
