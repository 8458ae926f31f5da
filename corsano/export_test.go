package corsano

// JWTExpiry exposes jwtExpiry to the tests.
var JWTExpiry = jwtExpiry

// TopLevel exposes topLevel to the tests.
var TopLevel = topLevel
