package io.tracemark.trace.gs1;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A GTIN-8, -12, -13 or -14 with a correct check digit. Null is left to {@code @NotNull}. */
@Documented
@Constraint(validatedBy = Gtin.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface Gtin {
    String message() default "is not a valid GTIN";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Gtin, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || Gs1Keys.gtin14(value).isPresent()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("GTIN " + Gs1Keys.whyNotGtin(value)).addConstraintViolation();
            return false;
        }
    }
}
