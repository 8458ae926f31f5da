package corsano

// JWTExpiry exposes jwtExpiry to the tests.
var JWTExpiry = jwtExpiry
